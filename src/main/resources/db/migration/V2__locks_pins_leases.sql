-- Foundations for every procedure:
-- * locks over several targets: an incident holds all its targets (a datastore and the services that depend on it)
--   in one transaction or none; the primary key makes "one rollback per target" hold across every replica;
-- * opaque pins instead of Docker image ids, and how a version was chosen as an enum name;
-- * who asked, as a kind (a person, the health monitor, a drill) beside the id;
-- * leases with a fencing epoch: a run presents (owner, epoch) on every write, so a replica that took over a silent
--   run cannot be overwritten by the old owner; heartbeats are written in the database's clock;
-- * a checkpoint of where a run stands (what it created, what it kept), so another replica can put things back;
-- * warnings found while planning (settings a replacement cannot get), shown on the card before approval.

create table target_locks (
    target      varchar(100) primary key,
    incident_id bigint       not null references incidents (id)
);
create index target_locks_incident on target_locks (incident_id);
insert into target_locks (target, incident_id) select active_target, id from incidents where active_target is not null;
drop index incidents_active_target;
alter table incidents drop column active_target;

alter table incidents add column from_pin varchar(200);
alter table incidents add column to_pin varchar(200);
update incidents set from_pin = from_image_id, to_pin = to_image_id;
alter table incidents drop column from_image_id;
alter table incidents drop column to_image_id;

alter table incidents add column version_choice varchar(30);
update incidents set version_choice = case version_source
    when 'named with --to' then 'NAMED'
    when 'the version before it in the deployment history' then 'HISTORY'
    when 'the newest older image on the engine' then 'OLDER_IMAGE'
    else null end;
alter table incidents drop column version_source;

alter table incidents add column requester_kind varchar(20) default 'PERSON' not null;
alter table incidents add column lease_epoch bigint default 0 not null;
alter table incidents add column checkpoint varchar(4000);
alter table incidents add column warnings varchar(4000);

alter table deployments add column pin varchar(200);
update deployments set pin = image_id;
alter table deployments drop column image_id;
