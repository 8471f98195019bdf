-- wrk script for bench/node.bench.ts: POST the JSON-RPC body given in $BODY.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = os.getenv("BODY")
