-- An event is its instance, resource, object and date (its id is a name-based UUID of exactly these), so the per-object
-- index, made unique, refuses an event stored twice, and the primary key on the id goes. That key was an index in
-- random order: every stored event dirtied a page of its own, which the next commit wrote out whole (a fifth of the
-- engine's CPU at 100,000 events). Event ids are still stored; the API finds one among its instance's events.
alter table pe_event drop primary key;
drop index pe_event_object;
create unique index pe_event_object_date on pe_event (instance_id, resource, object_id, event_date);
