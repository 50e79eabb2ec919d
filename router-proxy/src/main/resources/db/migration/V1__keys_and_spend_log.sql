-- The proxy's virtual keys and spend log. One script for PostgreSQL and for H2 in PostgreSQL
-- mode: standard types only. Money is NUMERIC(38, 18) (exact), times TIMESTAMP WITH TIME ZONE
-- (written in UTC), JSON as text.

CREATE TABLE proxy_key (
    token_hash       VARCHAR(64)              NOT NULL PRIMARY KEY,
    key_name         VARCHAR(64)              NOT NULL,
    key_alias        VARCHAR(255)             UNIQUE,
    models           VARCHAR                  NOT NULL,
    max_budget       NUMERIC(38, 18),
    budget_duration  VARCHAR(64),
    budget_reset_at  TIMESTAMP WITH TIME ZONE,
    spend            NUMERIC(38, 18)          NOT NULL DEFAULT 0,
    rpm_limit        BIGINT,
    tpm_limit        BIGINT,
    expires          TIMESTAMP WITH TIME ZONE,
    user_id          VARCHAR(255),
    team_id          VARCHAR(255),
    metadata         VARCHAR                  NOT NULL,
    blocked          BOOLEAN                  NOT NULL DEFAULT FALSE,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX proxy_key_created ON proxy_key (created_at, token_hash);

-- entry_id is the writer's id of a row (a UUID), so a batch retried after an unclear failure, or a
-- spill file replayed twice, does not write a row (or add its cost) twice.
CREATE TABLE proxy_spend_log (
    entry_id          VARCHAR(36)              NOT NULL PRIMARY KEY,
    request_id        VARCHAR(255)             NOT NULL,
    start_time        TIMESTAMP WITH TIME ZONE NOT NULL,
    token_hash        VARCHAR(64),
    user_id           VARCHAR(255),
    team_id           VARCHAR(255),
    model_group       VARCHAR(255)             NOT NULL,
    deployment_id     VARCHAR(255),
    provider          VARCHAR(64),
    prompt_tokens     BIGINT                   NOT NULL,
    completion_tokens BIGINT                   NOT NULL,
    total_tokens      BIGINT                   NOT NULL,
    cost              NUMERIC(38, 18)          NOT NULL,
    latency_ms        BIGINT                   NOT NULL,
    status            VARCHAR(16)              NOT NULL,
    cached            BOOLEAN                  NOT NULL,
    call_type         VARCHAR(64)              NOT NULL
);

-- The spend queries: per key over a time range, per model group over a time range, and by time.
CREATE INDEX proxy_spend_log_key_time ON proxy_spend_log (token_hash, start_time);
CREATE INDEX proxy_spend_log_model_time ON proxy_spend_log (model_group, start_time);
CREATE INDEX proxy_spend_log_time ON proxy_spend_log (start_time);
CREATE INDEX proxy_spend_log_request ON proxy_spend_log (request_id);
