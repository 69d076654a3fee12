package serve

import (
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sfn-tool/sfn/run/handler"
)

// awsCLI finds the AWS CLI v2 (Debian's awscli is /usr/bin/aws; an aws earlier in PATH may be v1).
func awsCLI() string {
	for _, c := range []string{"/usr/bin/aws", "aws"} {
		p, err := exec.LookPath(c)
		if err != nil {
			continue
		}
		out, err := exec.Command(p, "--version").Output()
		if err == nil && strings.HasPrefix(string(out), "aws-cli/2.") {
			return p
		}
	}
	return ""
}

// boto3Python finds a Python that imports boto3 (Debian's python3-boto3 is for /usr/bin/python3).
func boto3Python() string {
	for _, c := range []string{"/usr/bin/python3", "python3"} {
		if p, err := exec.LookPath(c); err == nil && exec.Command(p, "-c", "import boto3").Run() == nil {
			return p
		}
	}
	return ""
}

// The AWS CLI v2 and boto3 drive sfn serve as they drive Step Functions Local
// (testdata/clients.sh, testdata/clients.py); skipped when they are not installed
// (.ci/run installs Debian's awscli and python3-boto3).
func TestAWSCLIAndBoto3(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	cli, py := awsCLI(), boto3Python()
	if cli == "" && py == "" {
		t.Skip("neither the AWS CLI v2 nor boto3 is installed (apt-get install awscli python3-boto3)")
	}
	mc, err := handler.LoadMockConfig("../samples/order-processing/MockConfigFile.json")
	if err != nil {
		t.Fatal(err)
	}
	s := mustNew(t, Options{Mock: mc, Clock: "virtual", Logf: t.Logf})
	hs := httptest.NewServer(s) // 127.0.0.1 only
	defer hs.Close()
	defer s.Shutdown(t.Context())
	samples, _ := filepath.Abs("../samples/order-processing")
	home := t.TempDir()
	var env []string
	for _, kv := range os.Environ() { // the user's AWS settings stay out of the test
		if !strings.HasPrefix(kv, "AWS_") {
			env = append(env, kv)
		}
	}
	env = append(env, "ENDPOINT="+hs.URL, "SAMPLES="+samples, "AWS_ACCESS_KEY_ID=local",
		"AWS_SECRET_ACCESS_KEY=local", "AWS_CONFIG_FILE="+filepath.Join(home, "config"),
		"AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(home, "credentials"), "AWS_EC2_METADATA_DISABLED=true",
		"AWS_PAGER=", "HOME="+home)
	script := func(argv []string) {
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Env, cmd.Dir = env, home
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("%s: %v\n%s", strings.Join(argv, " "), err, out)
			return
		}
		t.Logf("%s", strings.TrimSpace(string(out)))
	}
	if cli == "" {
		t.Log("the AWS CLI v2 is not installed (apt-get install awscli): its part is skipped")
	} else {
		bash, _ := filepath.Abs("testdata/clients.sh")
		script([]string{"bash", bash, cli})
	}
	if py == "" {
		t.Log("boto3 is not installed (apt-get install python3-boto3): its part is skipped")
	} else {
		p, _ := filepath.Abs("testdata/clients.py")
		script([]string{py, p})
	}
}
