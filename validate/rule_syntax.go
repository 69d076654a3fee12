package validate

// Rules whose diagnostics come from the loader (they have no Check of their own).
func init() {
	register(&Rule{
		ID: "json-syntax", Severity: Error, AWSCode: "INVALID_JSON_DESCRIPTION",
		Summary: "the file parses as strict JSON (no comments, trailing commas or single quotes)",
		Bad:     `{"StartAt": "A", "States": {"A": {"Type": "Succeed"},}}`,
		Good:    `{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}`,
	})
	register(&Rule{
		ID: "yaml-syntax", Severity: Error, AWSCode: "INVALID_JSON_DESCRIPTION",
		Summary: "the file parses as YAML 1.2",
		Bad:     "StartAt: A\nStates:\n  A: {Type: Succeed\n",
		Good:    "StartAt: A\nStates:\n  A: {Type: Succeed}\n",
	})
	register(&Rule{
		ID: "duplicate-key", Severity: Error, AWSCode: "INVALID_JSON_DESCRIPTION",
		Summary: "no object has the same key twice (JSON parsers silently keep only one of them)",
		Bad:     `{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true, "Type": "Succeed"}}}`,
		Good:    `{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}`,
	})
}
