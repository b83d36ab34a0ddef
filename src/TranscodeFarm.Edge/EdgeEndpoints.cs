using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TranscodeFarm.Edge.Assets;
using TranscodeFarm.Edge.Caching;
using TranscodeFarm.Edge.Origins;
using TranscodeFarm.Edge.Serving;
using TranscodeFarm.Storage;

namespace TranscodeFarm.Edge;

/// <summary>The edge's services and routes: /vod (media), /keys and /license (DRM), /api/match, /admin/purge.</summary>
public static class EdgeEndpoints
{
    public const string CorsPolicy = "players";

    public static IServiceCollection AddEdge(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EdgeOptions>().Bind(configuration.GetSection(EdgeOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EdgeOptions>, EdgeOptionsValidator>();
        services.AddSingleton<IEdgeOrigin>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<EdgeOptions>>().Value;
            return o.Origin.Length == 0
                ? new StoreOrigin(sp.GetRequiredService<IObjectStore>(), o.OriginTimeout)
                : new HttpOrigin(HttpOrigin.CreateClient(), new Uri(o.Origin), o.ShieldCredential, o.OriginTimeout);
        });
        services.AddSingleton<EdgeCache>();
        services.AddSingleton<EdgeAssets>();
        services.AddSingleton<PlaybackAccess>();
        services.AddSingleton(sp => new AssetLabels(sp.GetRequiredService<IOptions<EdgeOptions>>().Value.TopAssets, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<MediaHandler>();
        services.AddHostedService<AssetSyncService>();
        services.AddHostedService<ControlSurfaceNotice>();
        services.AddCors(o => o.AddPolicy(CorsPolicy, p => p
            .AllowAnyOrigin()
            .WithMethods("GET", "HEAD", "OPTIONS")
            .WithHeaders("Range", "If-None-Match", "If-Modified-Since", "If-Range", "Authorization")
            .WithExposedHeaders("Content-Length", "Content-Range", "ETag", "Age", EdgeHeaders.Cache)));
        services.AddCors(o => o.AddPolicy(DrmEndpoints.CorsPolicy, p => p
            .AllowAnyOrigin()
            .WithMethods("POST", "OPTIONS")
            .WithHeaders("Content-Type", "Authorization")));
        return services;
    }

    public static IEndpointRouteBuilder MapEdge(this IEndpointRouteBuilder endpoints)
    {
        var media = endpoints.ServiceProvider.GetRequiredService<MediaHandler>();
        endpoints.MapMethods("/vod/{**path}", [HttpMethods.Get, HttpMethods.Head], media.ServeAsync).RequireCors(CorsPolicy);
        endpoints.MapDrm();
        endpoints.MapMatch();
        endpoints.MapAdmin();
        return endpoints;
    }
}
