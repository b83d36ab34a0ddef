using Npgsql;

namespace TranscodeFarm.Database;

/// <summary>
/// Parses `Queue:Url`: empty or "sqlite" for the embedded database in the data directory, or a PostgreSQL
/// URL (postgres://user:password@host:port/database?sslmode=...) or Npgsql connection string (Host=...).
/// </summary>
public static class QueueLocation
{
    public static bool IsPostgres(string? url) =>
        url is not null && (url.StartsWith("postgres://", StringComparison.Ordinal) || url.StartsWith("postgresql://", StringComparison.Ordinal)
            || url.Contains("Host=", StringComparison.OrdinalIgnoreCase));

    public static string ToConnectionString(string url)
    {
        if (!url.StartsWith("postgres", StringComparison.Ordinal))
        {
            return new NpgsqlConnectionStringBuilder(url).ConnectionString;
        }

        var uri = new Uri(url);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = uri.AbsolutePath.Trim('/') is { Length: > 0 } db ? Uri.UnescapeDataString(db) : "postgres",
        };
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length > 1)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            builder[Uri.UnescapeDataString(kv[0])] = kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : "";
        }

        return builder.ConnectionString;
    }

    /// <summary>The location for logs and `workers` output: host, port and database, never the password.</summary>
    public static string Describe(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        return $"postgres://{b.Host}:{b.Port}/{b.Database}";
    }
}
