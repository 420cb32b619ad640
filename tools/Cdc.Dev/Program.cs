using Cdc.Common.Configuration;
using Cdc.Dev;

return await Subcommands.RunAsync("cdc-dev", DevCommands.Usage, DevCommands.All, args);
