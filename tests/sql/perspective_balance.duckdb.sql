-- perspective_balance (weekly) from the partitioned layout of `biaslens extract --partitioned`,
-- in plain DuckDB SQL. Run from the folder that holds the tables:
--   duckdb -c ".read perspective_balance.duckdb.sql"   (or via the Python client, as CI does)
WITH live AS (
    SELECT digest_id, topic,
           strftime(digest_date, '%G-W%V') AS period,
           CAST(date_trunc('week', digest_date) AS DATE) AS period_start
    FROM 'digests.parquet'
    WHERE NOT draft AND NOT superseded
),
declared AS (
    SELECT DISTINCT l.topic, l.period, l.period_start, p.perspective_id
    FROM 'perspectives.parquet' p JOIN live l USING (digest_id)
),
counts AS (
    SELECT l.topic, l.period, a.perspective_id, count(*) AS articles
    FROM read_parquet('articles/*/*/*.parquet', hive_partitioning = true) a
    JOIN live l USING (digest_id)
    WHERE a.perspective_id IS NOT NULL
    GROUP BY ALL
),
shares AS (
    SELECT d.topic, d.period, d.period_start, d.perspective_id,
           coalesce(c.articles, 0) AS articles,
           coalesce(c.articles, 0) / sum(coalesce(c.articles, 0)) OVER w AS share,
           count(*) OVER w AS k
    FROM declared d LEFT JOIN counts c USING (topic, period, perspective_id)
    WINDOW w AS (PARTITION BY d.topic, d.period)
)
SELECT topic, period, period_start, CAST(period_start + INTERVAL 6 DAY AS DATE) AS period_end,
       perspective_id, articles, share,
       CASE WHEN k > 1 THEN
           -sum(CASE WHEN share > 0 THEN share * ln(share) ELSE 0 END) OVER (PARTITION BY topic, period) / ln(k)
       END AS balance_index
FROM shares
WHERE share IS NOT NULL AND NOT isnan(share)
ORDER BY topic, period_start, perspective_id
