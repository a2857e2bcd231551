-- A failed OAuth2 refresh is kept with the instance's tokens, so the API and metrics can show it and
-- the engine waits before trying again instead of hammering the token endpoint.
alter table pe_oauth_token add column refresh_error varchar(4000);
alter table pe_oauth_token add column refresh_failures integer;
alter table pe_oauth_token add column next_refresh_at bigint;
