-- When a replica last claimed a check of the service: the same timer can fire on two replicas at once (a trigger
-- rescheduled while another replica had already acquired it), and only the first claim within half an interval checks.
alter table monitor_states add column claimed_at bigint;
