namespace Cdc.Common.Hosting;

/// <summary>A PostgreSQL database the command connects to, with the connection string it uses.</summary>
public sealed record PostgresDependency(string What, string ConnectionString) : Dependency(What);
