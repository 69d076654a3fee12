package validate

import "github.com/sfn-tool/sfn/pkg/template"

// Rules for state machines kept in CloudFormation, SAM, CDK and Serverless templates. sfn's
// commands extract each machine with pkg/template and report these findings from the extraction;
// the checks below give the same findings when a whole template is checked as one document.
func init() {
	register(&Rule{
		ID: template.RuleDefinition, Severity: Error, AWSCode: "SFN_LINT",
		Summary: "a state machine in a template has a definition sfn can read: a Definition object, a DefinitionString " +
			"(literal, Fn::Sub or Fn::Join) that is JSON, or a DefinitionUri / ${file()} naming an existing file with the same letter case",
		Bad: "Transform: AWS::Serverless-2016-10-31\nResources:\n  Order:\n    Type: AWS::Serverless::StateMachine\n" +
			"    Properties:\n      DefinitionUri: statemachine/no-such-file.asl.json\n",
		Good: "Transform: AWS::Serverless-2016-10-31\nResources:\n  Order:\n    Type: AWS::Serverless::StateMachine\n" +
			"    Properties:\n      Definition:\n        StartAt: Done\n        States:\n          Done: {Type: Succeed}\n",
		Check: func(c *Context) { templateProblems(c, false) },
	})
	register(&Rule{
		ID: template.RuleNotLocal, Severity: Warning, AWSCode: "SFN_LINT",
		Summary: "a state machine's definition is in the template or a local file (DefinitionS3Location, an S3 DefinitionUri " +
			"or a computed DefinitionString cannot be checked)",
		Bad: "Resources:\n  Order:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n" +
			"      DefinitionS3Location: {Bucket: my-bucket, Key: order.asl.json}\n",
		Good: "Resources:\n  Order:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n" +
			"      Definition:\n        StartAt: Done\n        States:\n          Done: {Type: Succeed}\n",
		Check: func(c *Context) { templateProblems(c, true) },
	})
}

// templateProblems reports the extraction findings of a document that is a whole template.
func templateProblems(c *Context, warnings bool) {
	if c.Doc == nil || template.Detect(c.Doc.Root) == template.None {
		return
	}
	t := template.Extract(c.Doc, nil)
	for _, m := range t.Machines {
		for _, p := range m.Problems {
			if p.Warning == warnings && p.Err.Rule == c.rule.ID && p.File == c.Doc.Name {
				c.Report(p.Err.Pos, "/", "%s", p.Err.Message)
			}
		}
	}
}
