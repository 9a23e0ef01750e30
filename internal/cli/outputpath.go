package cli

import "github.com/spf13/cobra"

// emptyOutput refuses -o given as an empty path, which would otherwise
// read as no -o at all and print what the user meant to write to a file.
func emptyOutput(cmd *cobra.Command, output string) error {
	if cmd.Flags().Changed("output") && output == "" {
		return usageError(`-o "": give a path, or leave -o out to print`)
	}
	return nil
}
