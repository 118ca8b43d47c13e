-- The colour a blue-green service sends its traffic to, as the bot last switched or saw it (instead of a file under /var/run).
create table live_colours (
    service     varchar(100) primary key,
    colour      varchar(100) not null,
    since       bigint       not null,
    incident_id bigint
);
