// Command harness-dbops-mock runs the in-memory fake of the Harness Database DevOps API
// (internal/mockserver) on a local port, for trying the provider and its examples by
// hand without a Harness account.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/dbdevops/terraform-provider-harness/internal/contract"
	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

const (
	defaultAccount = "dbops_demo"
	defaultAPIKey  = "pat.dbops_demo.mock-key"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.LookupEnv, os.Stdout, os.Stderr)
	// make test adds up what every mock checked (-validate) from $CONTRACT_STATS_FILE.
	if serr := contract.AppendStats(); serr != nil {
		_, _ = fmt.Fprintln(os.Stderr, "harness-dbops-mock: contract stats:", serr)
	}
	var usage usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	case errors.As(err, &usage): // the flag package has already printed it
		os.Exit(2)
	default:
		_, _ = fmt.Fprintln(os.Stderr, "harness-dbops-mock:", err)
		os.Exit(1)
	}
}

// usageError is a command-line error that has already been reported.
type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

// run parses args (each flag may also come from the environment, see envFor), serves
// until ctx is done, then shuts down gracefully (5 s at most) and saves the state file.
// It prints the listening URL on stdout and one line per request on stderr.
func run(ctx context.Context, args []string, lookupEnv func(string) (string, bool), stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("harness-dbops-mock", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:8080", "`address` to listen on (port 0 picks a free port); with neither the flag nor "+
		"HARNESS_MOCK_LISTEN, a PORT variable means :PORT on every interface (as container platforms set it)")
	account := fs.String("account", defaultAccount, "Harness `account` ID the mock belongs to (Harness-Account header)")
	apiKey := fs.String("api-key", defaultAPIKey, "the only accepted x-api-key `value`")
	seed := fs.String("seed", "", "state `file` (JSON or YAML, the format of GET /_mock/state) to start from; "+
		"every problem is reported with its line")
	stateFile := fs.String("state-file", "", "JSON state `file`: loaded at start if it exists, saved on clean shutdown")
	putMode := fs.String("put-mode", "", "how a PUT of a schema or an instance treats a key its body leaves out: "+
		"merge keeps the stored value (the default), replace clears it; Harness has not shown which it does. "+
		"A -seed or -state-file may say it too (putMode), and must then agree")
	validate := fs.Bool("validate", false, "check every request and answer against the project's API contract; "+
		"violations go to the request log and to GET /_mock/violations")
	probe := fs.Bool("probe", false, "do not serve: ask the mock listening on -listen whether it is ready (GET /_mock/ready) "+
		"and exit 0 if so, 1 if not (a container health check, where there is no curl)")
	latency := fs.Duration("latency", 0, "what every API request waits before the mock handles it (such as 100ms), as each call to Harness "+
		"over the internet waits 50 to 300 ms; test hooks never wait; PUT /_mock/latency changes it")
	logFormat := fs.String("log-format", "text", "request log `format`: text (one line per request) or json (one JSON object per request)")
	fs.Usage = func() {
		_, _ = fmt.Fprintf(fs.Output(), `Usage: harness-dbops-mock [flags]

Serves a stateful fake of the Harness Database DevOps API at /, /gateway, /dbops
and /gateway/dbops (point the provider's endpoint at http://HOST:PORT/gateway), and
of Harness CI's execution config (/ci/...) at / and /gateway. With no flags it
listens on 127.0.0.1:8080 for account %q with API key %q.
Test hooks (no API key) live under /_mock/ (GET /_mock lists them): readiness
(GET /_mock/ready), state, execution-config overrides and defaults (DB DevOps and
CI), PATCH/DELETE
of schemas and instances, requests, faults, contract violations (with -validate)
and the contract itself (GET /_mock/contract).

Every flag may also be set in the environment as HARNESS_MOCK_<FLAG> (for example
HARNESS_MOCK_SEED=/seed.yaml, HARNESS_MOCK_LOG_FORMAT=json); a flag on the command
line wins.

Flags:
`, defaultAccount, defaultAPIKey)
		fs.PrintDefaults()
	}
	if err := envDefaults(fs, lookupEnv); err != nil {
		return err
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v (see -help)", fs.Args())
	}
	if *account == "" || *apiKey == "" {
		return errors.New("-account and -api-key must not be empty")
	}
	if *probe {
		return probeReady(ctx, *listen)
	}
	if *seed != "" && *stateFile != "" {
		return errors.New("-seed and -state-file both set the starting state: use one (a state file saved on shutdown can be the next run's seed)")
	}
	if *logFormat != "text" && *logFormat != "json" {
		return fmt.Errorf("-log-format %q: use text or json", *logFormat)
	}
	if *latency < 0 {
		return fmt.Errorf("-latency %v is negative: use 0 (no wait) or a duration such as 100ms", *latency)
	}
	if *putMode != "" && !slices.Contains(mockserver.PutModes(), *putMode) {
		return fmt.Errorf("-put-mode %q: use %s", *putMode, strings.Join(mockserver.PutModes(), " or "))
	}

	opts := mockserver.Options{AccountID: *account, APIKey: *apiKey, RequestLog: stderr, LogJSON: *logFormat == "json", PutMode: *putMode, Latency: *latency}
	if *validate {
		opts.Contract = contract.Default()
	}
	srv := mockserver.New(opts)
	if *stateFile != "" {
		if err := srv.LoadFile(*stateFile); err != nil {
			return err
		}
	}
	if *seed != "" {
		if err := srv.LoadSeed(*seed); err != nil {
			return fmt.Errorf("-seed: %w", err)
		}
	}
	if *putMode != "" && srv.PutMode() != *putMode {
		return fmt.Errorf("-put-mode %s, but the state in %s says putMode: %s: drop one of the two, or make them agree",
			*putMode, *seed+*stateFile, srv.PutMode())
	}
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", *listen)
	if err != nil {
		return err
	}
	// Request contexts derive from base, cancelled at shutdown, so a request held by
	// a Latency fault ends at once instead of stalling the shutdown.
	base, cancelBase := context.WithCancel(context.Background())
	defer cancelBase()
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, BaseContext: func(net.Listener) context.Context { return base }}
	if opts.LogJSON {
		_ = json.NewEncoder(stdout).Encode(map[string]string{
			"time": time.Now().UTC().Format(time.RFC3339Nano), "msg": "listening", "url": "http://" + ln.Addr().String(), "account": *account,
		})
	} else {
		_, _ = fmt.Fprintf(stdout, "harness-dbops-mock listening on http://%s (account %s)\n", ln.Addr(), *account)
	}

	serveErr := make(chan error, 1)
	go func() { serveErr <- hs.Serve(ln) }()
	select {
	case err := <-serveErr:
		return err
	case <-ctx.Done():
	}
	cancelBase()
	shutCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutCtx); err != nil {
		_, _ = fmt.Fprintf(stderr, "harness-dbops-mock: requests still running after 5s, closing them: %v\n", err)
		_ = hs.Close()
	}
	if *stateFile != "" {
		if err := srv.SaveFile(*stateFile); err != nil {
			return err
		}
		_, _ = fmt.Fprintf(stderr, "harness-dbops-mock: state saved to %s\n", *stateFile)
	}
	return nil
}

// envDefaults sets each flag from HARNESS_MOCK_<FLAG> (dashes as underscores) when the
// environment has it, before the command line is parsed, so a flag given there wins.
// Without -listen and HARNESS_MOCK_LISTEN, PORT (the variable container platforms set)
// means :PORT.
func envDefaults(fs *flag.FlagSet, lookupEnv func(string) (string, bool)) error {
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		name := "HARNESS_MOCK_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := lookupEnv(name); ok {
			if err := f.Value.Set(v); err != nil {
				errs = append(errs, fmt.Errorf("%s=%q: %w", name, v, err))
			}
		}
	})
	if _, ok := lookupEnv("HARNESS_MOCK_LISTEN"); !ok {
		if port, ok := lookupEnv("PORT"); ok && port != "" {
			errs = append(errs, fs.Set("listen", ":"+port))
		}
	}
	return errors.Join(errs...)
}

// probeReady asks the mock at listen (a wildcard host means this machine) whether it is
// ready, within 5 seconds.
func probeReady(ctx context.Context, listen string) error {
	host, port, err := net.SplitHostPort(listen)
	if err != nil || port == "0" {
		return fmt.Errorf("-probe needs the mock's -listen address with its port, got %q", listen)
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+net.JoinHostPort(host, port)+"/_mock/ready", nil)
	if err != nil {
		return err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("not ready: %w", err)
	}
	_ = res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("not ready: %s", res.Status)
	}
	return nil
}
