-- The health monitor's state per monitored service (failures in a row, start period, streak, pause, downtime), so that
-- with several replicas the check that Quartz fires on any of them continues the same count.
create table monitor_states (
    service varchar(200) primary key,
    state varchar(8000) not null,
    updated_at bigint not null
);
