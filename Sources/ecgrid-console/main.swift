import ECGridCommands

// The whole program is the command line's root command (ECGridCommands): hardening, logging,
// parsing and the exit status are its own.
await ECGridConsoleCommand.runProgram()
