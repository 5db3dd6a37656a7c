package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/talkdex/talkdex/internal/app"
)

func (c *cli) tokenCommand() *cobra.Command {
	var rotate bool
	cmd := &cobra.Command{
		Use:   "token [--rotate]",
		Short: "Print the API token (creating it if needed); --rotate replaces it",
		Long: `A server listening beyond loopback (say --addr 0.0.0.0:8080) asks every
write for this token, as "Authorization: Bearer TOKEN" or through its /login
page, and refuses to start without one. Reads need it too with
--read-access token. The token lives in the data dir, readable by you only.
--rotate makes a new one; a running server takes it within a second, and
the old one stops working.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			dir, err := c.resolveDataDir()
			if err != nil {
				return err
			}
			token, err := app.ReadToken(dir)
			if err != nil {
				return err
			}
			if token == "" || rotate {
				if token, err = app.NewToken(dir); err != nil {
					return err
				}
				fmt.Fprintln(c.io.err, "new token written to the data dir")
			}
			fmt.Fprintln(c.io.out, token)
			return nil
		},
	}
	cmd.Flags().BoolVar(&rotate, "rotate", false, "replace the token with a new one")
	return cmd
}
