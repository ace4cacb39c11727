// Checks KQL queries with Microsoft's Kusto language service against given
// table schemas. Input (stdin): {"schemas": {"Table": "(Col:type, ...)"},
// "queries": [{"name": "...", "kql": "..."}]}. Output (stdout): a JSON array
// of {"name", "diagnostics": [{"severity", "message", "start", "length"}]}.
require('@kusto/language-service-next/bridge.min.js');
require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');

const K = Kusto.Language;
const S = K.Symbols;

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (c) => { input += c; });
process.stdin.on('end', () => {
  const req = JSON.parse(input);
  const tables = Object.entries(req.schemas).map(([name, schema]) => new S.TableSymbol.$ctor7(name, schema, null));
  const db = new S.DatabaseSymbol.$ctor1('workspace', tables);
  const globals = K.GlobalState.Default.WithDatabase(db);
  const out = req.queries.map((q) => {
    const code = K.KustoCode.ParseAndAnalyze(q.kql, globals);
    const d = code.GetDiagnostics();
    const diagnostics = [];
    for (let i = 0; i < d.Count; i++) {
      const x = d.getItem(i);
      diagnostics.push({ severity: String(x.Severity), message: x.Message, start: x.Start, length: x.Length });
    }
    return { name: q.name, diagnostics };
  });
  process.stdout.write(JSON.stringify(out));
});
