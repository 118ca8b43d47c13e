-- Prepared while the approval waits: what a procedure did at plan time that changes nothing serving traffic (for
-- Docker: the replacement container, created but not started). The state lets a run wait for a preparation in
-- flight, lets Approve refuse one that failed, and lets deny/cancel/expiry clean up; what was prepared (ids) is the
-- start of the run's checkpoint, so the run and any replica can find it.
alter table incidents add column prepare_state varchar(20);
alter table incidents add column prepare_detail varchar(2000);
