"""The command line: arguments, subcommands, output."""
