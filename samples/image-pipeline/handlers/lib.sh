# Helpers shared by the handlers (POSIX sh and sed: nothing to install).
# sfn run writes the task input to stdin as one line of JSON, so a flat field can be read with sed.

# field NAME: the value of the field NAME (a string or a number) in $input, without quotes.
field() {
  printf '%s\n' "$input" |
    sed -n "s/^[^\"]*\(\"[^\"]*\"[^\"]*\)*\"$1\": *\"\{0,1\}\([^\",}]*\).*/\2/p" | head -n 1
}
