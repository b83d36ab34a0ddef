using System.Globalization;
using System.Text;

namespace TranscodeFarm.Core.Assets;

/// <summary>
/// A store's error as an operator reads it: the server's code, its message when it sent one, the HTTP status and the request id
/// to quote to the provider — and never an empty "()" where a server (Ceph RGW) sent no message. Pure: the store passes the
/// fields of its SDK's exception.
/// </summary>
public static class StoreErrorText
{
    /// <summary>"NoSuchBucket: The specified bucket does not exist (HTTP 404, request tx0…)"; parts the server did not send are left out.</summary>
    public static string Of(string? code, string? message, string? requestId, int status)
    {
        code = Clean(code);
        message = Clean(message);
        requestId = Clean(requestId);
        var text = new StringBuilder(code ?? (status > 0 ? "HTTP " + status.ToString(CultureInfo.InvariantCulture) : "error"));
        if (message is not null && !string.Equals(message, code, StringComparison.OrdinalIgnoreCase))
        {
            text.Append(": ").Append(message);
        }

        var details = new List<string>(2);
        if (code is not null && status > 0)
        {
            details.Add("HTTP " + status.ToString(CultureInfo.InvariantCulture));
        }

        if (requestId is not null)
        {
            details.Add("request " + requestId);
        }

        if (details.Count > 0)
        {
            text.Append(" (").AppendJoin(", ", details).Append(')');
        }

        return text.ToString();
    }

    /// <summary>What to do about an error code that always means a configuration fault; null for the others.</summary>
    public static string? Hint(string? code, string bucket) => Clean(code) switch
    {
        "NoSuchBucket" => $"the bucket '{bucket}' does not exist: run `transcodefarm store init` or set Store:CreateBucket=true",
        "InvalidAccessKeyId" => "the store does not know this access key: check Store:AccessKey",
        "SignatureDoesNotMatch" => "the store refused the request's signature: check Store:SecretKey (and Store:AccessKey)",
        "AccessDenied" or "AllAccessDisabled" => $"these credentials may not do this in bucket '{bucket}': check the bucket's policy for Store:AccessKey",
        _ => null,
    };

    /// <summary>One line, trimmed, or null when nothing is left (an empty message, whitespace, "()").</summary>
    private static string? Clean(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length == 0 || line == "()" ? null : line;
    }
}
