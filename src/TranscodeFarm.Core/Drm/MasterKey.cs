namespace TranscodeFarm.Core.Drm;

/// <summary>Reads the 32-byte master key from configuration text. Errors never repeat the value: it is a secret.</summary>
public static class MasterKey
{
    private const int HexLength = KeySealer.MasterKeyLength * 2;

    /// <summary>64 hex digits, or base64 of 32 bytes (<c>openssl rand -base64 32</c>); surrounding whitespace is ignored.</summary>
    public static byte[] Parse(string? text)
    {
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            throw new FormatException("master key is empty; expected 32 bytes as 64 hex digits or base64");
        }

        if (trimmed.Length == HexLength && trimmed.All(char.IsAsciiHexDigit))
        {
            return Convert.FromHexString(trimmed);
        }

        var buffer = new byte[trimmed.Length];
        if (Convert.TryFromBase64String(trimmed, buffer, out var written))
        {
            if (written == KeySealer.MasterKeyLength)
            {
                return buffer[..written];
            }

            throw new FormatException($"master key decodes from base64 to {written} bytes; expected {KeySealer.MasterKeyLength}");
        }

        throw new FormatException(
            $"master key is neither 64 hex digits nor base64 ({trimmed.Length} characters given); expected {KeySealer.MasterKeyLength} bytes");
    }
}
