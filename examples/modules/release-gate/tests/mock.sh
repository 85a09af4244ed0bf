# Starts the mock of the Harness API for this module's tests, seeded with
# tests/seed.yaml, and points the provider and the tests/ui helper at it. Source it
# from the module's folder before terraform test: . tests/mock.sh
# It needs harness-dbops-mock on PATH (from a release archive, or go install
# ./cmd/harness-dbops-mock in the provider's repository) and curl for tests/ui.
#
# The mock picks a free port (-listen 127.0.0.1:0) and prints its URL, which is read
# here: a port that is taken (another mock, a parallel job) cannot send the tests to a
# server this shell did not start. A mock that does not start (a seed it refuses) makes
# it print the mock's message and return 1, which stops a CI script (set -e, as CI
# systems run them). The mock stops when the shell exits.
mock_dir=$(mktemp -d)
harness-dbops-mock -listen 127.0.0.1:0 -seed tests/seed.yaml >"$mock_dir/out" 2>"$mock_dir/log" &
mock_pid=$!
trap 'kill "$mock_pid" 2>/dev/null || true; wait "$mock_pid" 2>/dev/null || true; rm -rf "$mock_dir"' EXIT
for _ in $(seq 100); do # 10 seconds at most
  HARNESS_MOCK_URL=$(grep -o 'http://[0-9.:]*' "$mock_dir/out") && break
  kill -0 "$mock_pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$HARNESS_MOCK_URL" ]; then
  cat "$mock_dir/log" >&2
  echo "tests/mock.sh: the mock did not start (its log is above)" >&2
  return 1 2>/dev/null || exit 1
fi
export HARNESS_MOCK_URL
export HARNESS_ENDPOINT=$HARNESS_MOCK_URL/gateway
export HARNESS_ACCOUNT_ID=dbops_demo HARNESS_PLATFORM_API_KEY=pat.dbops_demo.mock-key
