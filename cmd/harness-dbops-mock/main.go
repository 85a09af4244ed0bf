// Command harness-dbops-mock runs the in-memory fake of the Harness Database DevOps API
// (internal/mockserver) on a local port, for trying the provider and its examples by
// hand without a Harness account.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
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
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
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

// run parses args, serves until ctx is done, then shuts down gracefully (5 s at most)
// and saves the state file. It prints the listening URL on stdout and one line per
// request on stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("harness-dbops-mock", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:8080", "`address` to listen on (port 0 picks a free port)")
	account := fs.String("account", defaultAccount, "Harness `account` ID the mock belongs to (Harness-Account header)")
	apiKey := fs.String("api-key", defaultAPIKey, "the only accepted x-api-key `value`")
	stateFile := fs.String("state-file", "", "JSON state `file`: loaded at start if it exists, saved on clean shutdown")
	validate := fs.Bool("validate", false, "check every request and answer against the project's API contract; "+
		"violations go to the request log and to GET /_mock/violations")
	fs.Usage = func() {
		_, _ = fmt.Fprintf(fs.Output(), `Usage: harness-dbops-mock [flags]

Serves a stateful fake of the Harness Database DevOps API at /, /gateway, /dbops
and /gateway/dbops (point the provider's endpoint at http://HOST:PORT/gateway). With no flags it
listens on 127.0.0.1:8080 for account %q with API key %q.
Test hooks (no API key) live under /_mock/: state, execution-config overrides
and defaults, PATCH/DELETE of schemas and instances, requests, faults, contract
violations (with -validate) and the contract itself (GET /_mock/contract).

Flags:
`, defaultAccount, defaultAPIKey)
		fs.PrintDefaults()
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

	opts := mockserver.Options{AccountID: *account, APIKey: *apiKey, RequestLog: stderr}
	if *validate {
		opts.Contract = contract.Default()
	}
	srv := mockserver.New(opts)
	if *stateFile != "" {
		if err := srv.LoadFile(*stateFile); err != nil {
			return err
		}
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
	_, _ = fmt.Fprintf(stdout, "harness-dbops-mock listening on http://%s (account %s)\n", ln.Addr(), *account)

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
