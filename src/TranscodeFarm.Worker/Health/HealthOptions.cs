using Microsoft.Extensions.Options;

namespace TranscodeFarm.Worker.Health;

/// <summary>How often the background checks behind <c>/healthz</c> run, and how long each may take.</summary>
public sealed class HealthOptions
{
    public const string Section = "Health";

    /// <summary>Each check runs this often; <c>/healthz</c> answers from the last result.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A check that has not answered after this long is unhealthy ("timed out"), unless its registration sets its own.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(3);
}

public sealed class HealthOptionsValidator : IValidateOptions<HealthOptions>
{
    public ValidateOptionsResult Validate(string? name, HealthOptions o)
    {
        var errors = new List<string>();
        if (o.Interval < TimeSpan.FromMilliseconds(100) || o.Interval > TimeSpan.FromMinutes(10))
        {
            errors.Add($"Health:Interval must be between 00:00:00.1 and 00:10:00 (got {o.Interval})");
        }

        if (o.Timeout <= TimeSpan.Zero || o.Timeout > TimeSpan.FromMinutes(5))
        {
            errors.Add($"Health:Timeout must be positive and at most 00:05:00 (got {o.Timeout})");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
