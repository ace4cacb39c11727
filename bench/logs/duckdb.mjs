// Loads an NDJSON sign-in file into DuckDB with read_json and groups it by
// code and by app, as `aadsts logs report --by code|app` does, printing the
// timings as JSON. Usage: node duckdb.mjs FILE
import { DuckDBInstance } from '@duckdb/node-api';

const file = process.argv[2];
const inst = await DuckDBInstance.create(':memory:');
const con = await inst.connect();
const ms = (t) => Math.round((performance.now() - t) * 10) / 10;

let t = performance.now();
await con.run(`CREATE TABLE signins AS SELECT * FROM read_json('${file.replaceAll("'", "''")}', format = 'newline_delimited', maximum_object_size = 16777216)`);
const loadMs = ms(t);
const rows = Number((await con.runAndReadAll('SELECT count(*) FROM signins')).getRows()[0][0]);

const best = async (sql) => {
  let min = Infinity;
  let groups = 0;
  for (let i = 0; i < 3; i++) {
    const s = performance.now();
    const r = await con.runAndReadAll(sql);
    min = Math.min(min, performance.now() - s);
    groups = r.getRows().length;
  }
  return { ms: Math.round(min * 10) / 10, groups };
};
const byCode = await best('SELECT properties.status.errorCode AS code, count(*) AS n, min("time"), max("time") FROM signins GROUP BY 1 ORDER BY 2 DESC');
const byApp = await best('SELECT properties.appId AS app_id, count(*) AS n, min("time"), max("time") FROM signins GROUP BY 1 ORDER BY 2 DESC');
console.log(JSON.stringify({ rows, load_ms: loadMs, load_rate: Math.round(rows / (loadMs / 1000)), by_code: byCode, by_app: byApp }));
