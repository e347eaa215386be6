namespace AnalyticsHub.PostgreSql.Migrations;

/// <summary>
/// Every schema version the code knows, in order. A version once released never changes: a change is a new version.
/// </summary>
/// <remarks>
/// Times are UTC ticks (100 ns since 0001-01-01), the resolution of <see cref="DateTimeOffset"/>: <c>timestamptz</c> keeps
/// microseconds only, which would reorder events one tick apart and break cursors. Strings a filter compares
/// (environment, subtype, tags) are UTF-8 <c>bytea</c>, because PostgreSQL text cannot hold U+0000 and JSON can.
/// </remarks>
internal static class SchemaMigrations
{
    public static readonly IReadOnlyList<Migration> All =
    [
        new(1, "events partitioned by day of event time, event_ids for idempotency, the sequence counter", """
            CREATE TABLE {schema}.sequence_counter (
                id boolean PRIMARY KEY DEFAULT true CHECK (id),
                last_sequence bigint NOT NULL);
            INSERT INTO {schema}.sequence_counter (id, last_sequence) VALUES (true, 0);

            CREATE TABLE {schema}.events (
                ticks bigint NOT NULL,
                seq bigint NOT NULL,
                arrival_ticks bigint NOT NULL,
                event_id uuid NOT NULL,
                source_module smallint NOT NULL,
                event_type smallint NOT NULL,
                severity smallint NOT NULL,
                payload_type smallint NOT NULL,
                correlation_id uuid,
                parent_event_id uuid,
                environment bytea NOT NULL,
                subtype bytea NOT NULL,
                tags bytea[] NOT NULL,
                body bytea NOT NULL
            ) PARTITION BY RANGE (ticks);
            CREATE INDEX events_time ON {schema}.events (ticks, seq);
            CREATE INDEX events_module_severity_time ON {schema}.events (source_module, severity, ticks, seq);
            CREATE INDEX events_severity_time ON {schema}.events (severity, ticks, seq);
            CREATE INDEX events_id ON {schema}.events (event_id);
            CREATE INDEX events_correlation ON {schema}.events (correlation_id, ticks, seq) WHERE correlation_id IS NOT NULL;
            CREATE INDEX events_parent ON {schema}.events (parent_event_id, ticks, seq) WHERE parent_event_id IS NOT NULL;
            CREATE INDEX events_sequence ON {schema}.events (seq);

            CREATE TABLE {schema}.event_ids (
                event_id uuid PRIMARY KEY,
                ticks bigint NOT NULL);
            """),
        new(2, "event_ids remember the write that stored each event, so a retried write learns what it had stored", """
            ALTER TABLE {schema}.event_ids ADD COLUMN write_id uuid;
            """),
        new(3, "the hub's state: budget periods, and incidents with their member events", """
            CREATE TABLE {schema}.budget_states (
                budget_id bytea NOT NULL,
                period_start bigint NOT NULL,
                period_end bigint NOT NULL,
                spend_usd double precision NOT NULL,
                first_cost bigint NOT NULL,
                last_cost bigint NOT NULL,
                thresholds_crossed double precision[] NOT NULL,
                forecast_warned boolean NOT NULL,
                PRIMARY KEY (budget_id, period_start));

            CREATE TABLE {schema}.correlations (
                correlation_id uuid PRIMARY KEY,
                detected bigint NOT NULL,
                window_start bigint NOT NULL,
                window_end bigint NOT NULL,
                body bytea NOT NULL);
            CREATE INDEX correlations_detected ON {schema}.correlations (detected);
            CREATE INDEX correlations_window ON {schema}.correlations (window_start, window_end);
            CREATE TABLE {schema}.correlation_members (
                event_id uuid NOT NULL,
                correlation_id uuid NOT NULL REFERENCES {schema}.correlations ON DELETE CASCADE,
                PRIMARY KEY (event_id, correlation_id));
            CREATE INDEX correlation_members_incident ON {schema}.correlation_members (correlation_id);
            """),
        new(4, "time series: series, point chunks partitioned by day, rollups with their sketches, raw horizons, continuous queries", """
            CREATE TABLE {schema}.ts_state (
                id boolean PRIMARY KEY DEFAULT true CHECK (id),
                version bigint NOT NULL);
            INSERT INTO {schema}.ts_state (id, version) VALUES (true, 0);

            CREATE TABLE {schema}.ts_series (
                series_id integer PRIMARY KEY,
                measurement bytea NOT NULL,
                tags bytea[] NOT NULL,
                UNIQUE (measurement, tags));
            CREATE INDEX ts_series_tags ON {schema}.ts_series USING gin (tags);

            CREATE SEQUENCE {schema}.ts_chunk_seq;
            CREATE TABLE {schema}.ts_chunks (
                day bigint NOT NULL,
                seq bigint NOT NULL DEFAULT nextval('{schema}.ts_chunk_seq'),
                series_id integer NOT NULL,
                count integer NOT NULL,
                min_ticks bigint NOT NULL,
                max_ticks bigint NOT NULL,
                ticks bigint[] NOT NULL,
                fields bytea[] NOT NULL,
                numbers double precision[] NOT NULL,
                kinds bytea,
                integers bigint[],
                texts bytea,
                PRIMARY KEY (day, seq)
            ) PARTITION BY RANGE (day);
            CREATE INDEX ts_chunks_series_time ON {schema}.ts_chunks (series_id, min_ticks, max_ticks);

            CREATE TABLE {schema}.ts_rollups (
                measurement bytea NOT NULL,
                tags bytea[] NOT NULL,
                resolution bigint NOT NULL,
                bucket_start bigint NOT NULL,
                field bytea NOT NULL,
                count bigint NOT NULL,
                sum double precision NOT NULL,
                compensation double precision NOT NULL,
                mean double precision NOT NULL,
                m2 double precision NOT NULL,
                min double precision NOT NULL,
                max double precision NOT NULL,
                exact_ends boolean NOT NULL,
                first_ticks bigint NOT NULL,
                first_value double precision NOT NULL,
                last_ticks bigint NOT NULL,
                last_value double precision NOT NULL,
                sketch bytea NOT NULL,
                PRIMARY KEY (measurement, tags, resolution, bucket_start, field));

            CREATE TABLE {schema}.ts_raw_horizons (
                measurement bytea PRIMARY KEY,
                horizon bigint NOT NULL);

            CREATE TABLE {schema}.ts_continuous_queries (
                query_id bytea PRIMARY KEY,
                definition bytea NOT NULL);
            """),
        new(5, "fewer indexes to maintain per append: event_ids carry the sequence (the lookup by id), severity-only filters use the module index, a BRIN index on the sequence", """
            ALTER TABLE {schema}.event_ids ADD COLUMN seq bigint;
            UPDATE {schema}.event_ids i SET seq = e.seq FROM {schema}.events e WHERE e.event_id = i.event_id AND e.ticks = i.ticks;
            DELETE FROM {schema}.event_ids WHERE seq IS NULL;
            ALTER TABLE {schema}.event_ids ALTER COLUMN seq SET NOT NULL;
            DROP INDEX {schema}.events_id;
            DROP INDEX {schema}.events_severity_time;
            DROP INDEX {schema}.events_sequence;
            CREATE INDEX events_sequence ON {schema}.events USING brin (seq) WITH (pages_per_range = 32, autosummarize = on);
            """),
        new(6, "time series: a chunk's integers and booleans within 2^53 are read from numbers, the integers array is written only when one is beyond; older code, which needs the array, refuses the schema", """
            COMMENT ON COLUMN {schema}.ts_chunks.integers IS 'exact integer and boolean values at the positions of numbers; NULL when every one is within 2^53 and so exactly its double in numbers (since version 6)';
            """),
    ];

    /// <summary>The newest version the code knows.</summary>
    public static int Latest => All[^1].Version;
}
