using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace TranscodeFarm.Worker.Health;

public static class HealthServiceCollectionExtensions
{
    /// <summary>
    /// The farm's health: background checks kept on a <see cref="HealthBoard"/> that <c>/healthz</c> reads. Registers the
    /// store and database checks of every host; a further check is one more <c>.AddCheck&lt;T&gt;("name")</c> on the
    /// returned builder (its own timeout: the <c>timeout:</c> argument, else <c>Health:Timeout</c>).
    /// </summary>
    public static IHealthChecksBuilder AddFarmHealth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HealthOptions>().Bind(configuration.GetSection(HealthOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HealthOptions>, HealthOptionsValidator>();
        services.AddSingleton<HealthBoard>();
        services.AddHostedService<HealthMonitor>();
        return services.AddHealthChecks()
            .AddCheck<StoreHealthCheck>("store")
            .AddCheck<DatabaseHealthCheck>("database");
    }
}
