using Cdc.Common.Configuration;
using Microsoft.Extensions.Options;

namespace Cdc.Common.Hosting.Internal;

/// <summary>The command's own validation as an options validator, so the host checks the options at start (ValidateOnStart).</summary>
internal sealed class ConfigurationErrorValidator<TOptions>(Action<TOptions> validate) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        try
        {
            validate(options);
            return ValidateOptionsResult.Success;
        }
        catch (ConfigurationError e)
        {
            return ValidateOptionsResult.Fail(e.Message);
        }
    }
}
