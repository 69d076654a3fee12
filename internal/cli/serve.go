package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"time"

	"github.com/spf13/cobra"

	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/run/handler"
	"github.com/sfn-tool/sfn/serve"
)

// serveFlags are the flags of sfn serve.
type serveFlags struct {
	addr, mockConfig, config, region, account, clock, lambda, dataDir string
	endpoints                                                         []string
}

// drainTimeout bounds how long a stopping server waits for its executions and requests.
const drainTimeout = 10 * time.Second

func newServeCmd() *cobra.Command {
	var f serveFlags
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the AWS Step Functions API on localhost (a drop-in for Step Functions Local)",
		Long: "Serve the AWS Step Functions API (AWS JSON 1.0) so that SDKs and the AWS CLI can create state\n" +
			"machines and run executions on this machine: point them at --endpoint-url http://ADDR.\n\n" +
			"Executions run with sfn run's interpreter. Task handlers, first match wins: the test case of\n" +
			"the mock config when StartExecution names \"<stateMachineArn>#<TestCase>\" (Step Functions\n" +
			"Local's convention); the config file (sfn.yaml: tasks, resources); a .waitForTaskToken task\n" +
			"waits for SendTaskSuccess / SendTaskFailure (HeartbeatSeconds and TimeoutSeconds enforced); an\n" +
			"activity task waits for a worker's GetActivityTask; a Lambda task calls --lambda-endpoint; a\n" +
			"request-response integration of a service given --endpoint calls that endpoint.\n" +
			"Other tasks fail (States.Runtime).\n\n" +
			"State is kept in memory, or with --data-dir in DIR/sfn-serve.db (state machines, activities,\n" +
			"tags, finished executions). SIGTERM or Ctrl-C stops the server: running executions end\n" +
			"ABORTED (and are kept in the data dir).\n" +
			"Exit status: 0 stopped by a signal, 2 usage error (bad flag, unreadable config, data dir in use\n" +
			"or unreadable), 3 the address cannot be listened on.",
		Example: "  sfn serve\n" +
			"  SFN_MOCK_CONFIG=MockConfigFile.json sfn serve --addr 127.0.0.1:8083\n" +
			"  aws stepfunctions --endpoint-url http://127.0.0.1:8083 list-state-machines",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runServe(cmd, &f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.addr, "addr", "127.0.0.1:8083", "address to listen on (Step Functions Local's port; localhost only unless given)")
	fl.StringVar(&f.mockConfig, "mock-config", "", "AWS Step Functions Local MockConfigFile (default: $SFN_MOCK_CONFIG)")
	fl.StringVar(&f.config, "config", "", "task handler config, as for sfn run (sfn.yaml)")
	fl.StringVar(&f.region, "region", "", "region of the ARNs (default: $AWS_DEFAULT_REGION, $AWS_REGION, else us-east-1)")
	fl.StringVar(&f.account, "account", "123456789012", "account id of the ARNs")
	fl.StringVar(&f.clock, "clock", "real", "real, or virtual (Waits and retry intervals finish at once)")
	fl.StringVar(&f.dataDir, "data-dir", "", "keep state machines, activities and finished executions in DIR/sfn-serve.db across restarts (default: in memory)")
	fl.StringVar(&f.lambda, "lambda-endpoint", "", "Lambda Invoke endpoint for the Lambda tasks nothing else handles (sam local start-lambda: http://127.0.0.1:3001)")
	fl.StringArrayVar(&f.endpoints, "endpoint", nil, endpointUsage)
	return cmd
}

func runServe(cmd *cobra.Command, f *serveFlags) error {
	opts, err := serveOptions(f)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return &exitError{code: exitIO, err: fmt.Errorf("--addr %s: %v", f.addr, err)}
	}
	ctx, stop := signal.NotifyContext(cmd.Context(), stopSignals...)
	defer stop()
	return serveUntil(ctx, ln, opts, cmd.ErrOrStderr())
}

// serveOptions checks the flags and reads the config files.
func serveOptions(f *serveFlags) (serve.Options, error) {
	opts := serve.Options{Account: f.account, Clock: f.clock, DataDir: f.dataDir,
		Region: cmp.Or(f.region, os.Getenv("AWS_DEFAULT_REGION"), os.Getenv("AWS_REGION"), "us-east-1")}
	switch f.clock {
	case "real", "virtual":
	default:
		return opts, usageErr("unknown --clock %q (want real or virtual)", f.clock)
	}
	if !validAccount(f.account) {
		return opts, usageErr("--account %q is not a 12-digit account id", f.account)
	}
	if f.lambda != "" {
		u, err := handler.ParseLambdaEndpoint(f.lambda)
		if err != nil {
			return opts, usageErr("--lambda-endpoint: %v", err)
		}
		opts.LambdaEndpoint = u
	}
	if mc := cmp.Or(f.mockConfig, os.Getenv("SFN_MOCK_CONFIG")); mc != "" {
		m, err := handler.LoadMockConfig(mc)
		if err != nil {
			return opts, &exitError{code: exitUsage, err: err}
		}
		opts.Mock = m
	}
	if f.config != "" {
		c, err := handler.LoadConfig(f.config)
		if err != nil {
			return opts, &exitError{code: exitUsage, err: err}
		}
		opts.Config = c
	}
	c, err := withEndpoints(opts.Config, f.endpoints)
	if err != nil {
		return opts, err
	}
	opts.Config = c
	return opts, nil
}

// endpointUsage is the help of --endpoint (sfn run, sfn serve).
const endpointUsage = "AWS service endpoint, SERVICE=URL (repeatable), for the request-response integrations of SERVICE that nothing else handles, e.g. dynamodb=http://127.0.0.1:8000 (DynamoDB Local); SERVICE: dynamodb, sqs, sns, eventbridge, kinesis, secretsmanager, ssm, sfn"

// withEndpoints adds the --endpoint SERVICE=URL flags to the handler config c (nil: none yet).
func withEndpoints(c *handler.Config, flags []string) (*handler.Config, error) {
	if len(flags) == 0 {
		return c, nil
	}
	if c == nil {
		c = &handler.Config{Tasks: map[string]*handler.Spec{}, TaskPos: map[string]load.Pos{}}
	}
	if c.Endpoints == nil {
		c.Endpoints = map[string]string{}
	}
	for _, f := range flags {
		svc, u, err := handler.ParseEndpointFlag(f)
		if err != nil {
			return nil, usageErr("--endpoint: %v", err)
		}
		c.Endpoints[svc] = u
	}
	return c, nil
}

func validAccount(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// serveUntil answers the API on ln until ctx ends, then drains: running executions are aborted
// (their history kept) and requests in progress finish.
func serveUntil(ctx context.Context, ln net.Listener, opts serve.Options, stderr io.Writer) error {
	opts.Logf = func(format string, args ...any) { printLine(stderr, format, args...) }
	api, err := serve.New(opts)
	if err != nil {
		ln.Close()
		return &exitError{code: exitUsage, err: fmt.Errorf("--data-dir: %v", err)}
	}
	// No write timeout: GetActivityTask and StartSyncExecution answer when their work is done.
	srv := &http.Server{Handler: api, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	printLine(stderr, "sfn serve: the Step Functions API on http://%s (region %s, account %s)", ln.Addr(), opts.Region, opts.Account)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		_ = api.Shutdown(context.Background())
		return &exitError{code: exitIO, err: fmt.Errorf("serving: %v", err)}
	case <-ctx.Done():
	}
	printLine(stderr, "sfn serve: stopping (running executions are aborted)")
	dctx, cancel := context.WithTimeout(context.Background(), drainTimeout)
	defer cancel()
	derr := api.Shutdown(dctx)
	serr := srv.Shutdown(dctx)
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return &exitError{code: exitIO, err: fmt.Errorf("serving: %v", err)}
	}
	if err := cmp.Or(derr, serr); err != nil {
		return &exitError{code: exitIO, err: fmt.Errorf("stopping: %v", err)}
	}
	return nil
}
