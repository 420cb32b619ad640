using Cdc.Cli;
using Cdc.Common.Configuration;

return await Subcommands.RunAsync("cdc", Commands.Usage, Commands.All, args);
