// Package acctest is the harness of the provider's acceptance tests, which run real
// terraform (or OpenTofu) against the in-repo mock of the Harness API, one mock per
// test. It knows nothing of the provider: a test passes the provider's server
// (ProviderFactories, NewTFCLI). Read it in this order:
//
//   - env.go: the environment a test binary runs in (PrepareEnv, from TestMain) and the
//     CLI versions a test needs (NeedsCLI).
//   - server.go: the two servers of a test: the mock (NewServer, one per test, in the PUT
//     mode make test asks for) and the provider under test (ProviderFactories).
//   - config.go: configurations: provider blocks, DB schemas and instances, the image
//     config and its images, the repository's examples.
//   - checks.go: what a plugin-testing step checks: the plan, the state, what the mock
//     received (RouteCounts, LastBodyIs, BudgetIs) and what it holds.
//   - text.go: matching Terraform's human-readable output, however it wraps lines.
//   - cli.go: TFCLI, the terraform CLI run against the provider served from the test
//     process, for what plugin-testing cannot do (the plan's text, -parallelism, a run's
//     log, import with generated configuration).
//   - fleet.go: the fleet of the fault and concurrency suites, and their tallies.
//
// A helper that tests of more than one file use belongs here, in the file of its kind;
// one that needs the provider package itself stays in the provider's main_test.go, and
// one that a single test file uses stays in that file.
package acctest
