-- A data rollback's figures: which backup was restored, when it was taken and when its data went live (the data-loss
-- window is the difference), and how long the restore took, from the dump of the live data to the swap.
create table data_restores (
    incident_id  bigint        primary key,
    datastore    varchar(100)  not null,
    backup       varchar(200)  not null,
    backup_at    bigint        not null,
    restored_at  bigint        not null,
    duration_ms  bigint        not null
);
