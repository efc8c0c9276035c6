// Package cli holds the command-line plumbing every example shares, so
// that all of them print their help, read their flags, answer signals,
// take -tz and report failures the same way:
//
//	func main() {
//		cli.Main(func(ctx context.Context) int { return run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv) })
//	}
//
//	func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
//		fs := flag.NewFlagSet("prices", flag.ContinueOnError)
//		tz := cli.TZ(fs, "Local", "time zone of printed times")
//		help := cli.Help{
//			Description: "prices prints the next hours of prices.",
//			Env:         []cli.EnvVar{{Name: "PRICES_TOKEN", Help: "the API token"}},
//		}
//		if ok, code := cli.Parse(fs, args, help, stdout, stderr); !ok {
//			return code // 0 after -h, 2 after a bad flag
//		}
//		if err := show(ctx, getenv("PRICES_TOKEN"), tz.Location(), stdout); err != nil {
//			return cli.Fail(stderr, "prices", err, cli.Hint{Err: energy.ErrUnauthorized, Advice: "check PRICES_TOKEN"})
//		}
//		return cli.ExitOK
//	}
//
// Exit codes follow one rule: 0 for success and for -h, 1 for a failure,
// 2 for a usage error.
package cli

// Exit codes of every example.
const (
	ExitOK      = 0 // success, or -h
	ExitFailure = 1 // the work failed
	ExitUsage   = 2 // the command line or environment is wrong
)
