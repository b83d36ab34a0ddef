using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace TranscodeFarm.Worker.Ingest;

/// <summary>What a directory entry is, without following it if it is a link.</summary>
public enum FileKind
{
    Missing,
    Regular,
    Directory,
    SymbolicLink,
    Fifo,
    CharacterDevice,
    BlockDevice,
    Socket,
    Other,
}

/// <summary>
/// Files a producer controls, opened so that what is checked is what is read (decision 015). .NET's File.OpenHandle
/// follows links and blocks on a FIFO with no writer, and a path checked and then opened can be swapped in between;
/// so the file is opened with open(2) O_NOFOLLOW|O_NONBLOCK|O_NOCTTY and its type taken from the open descriptor
/// (statx with AT_EMPTY_PATH: fstat with one layout on every Linux architecture). Everything else reads that handle.
/// </summary>
public static class UntrustedFile
{
    /// <summary>What a name is, as lstat sees it: never opens it, so a FIFO or device cannot block or react.</summary>
    public static FileKind KindOf(string path) => Stat(Native.AtFdCwd, path, Native.AtSymlinkNoFollow) is { } s ? KindOfMode(s.Mode) : FileKind.Missing;

    /// <summary>True when the name exists as anything at all, a dangling link included (File.Exists follows links).</summary>
    public static bool Exists(string path) => KindOf(path) != FileKind.Missing;

    /// <summary>
    /// Opens a regular file for reading, or says in a producer's words why it will not: "not a regular file: a FIFO".
    /// A link in the last component fails the open (ELOOP) rather than being followed.
    /// </summary>
    public static OpenedFile Open(string path)
    {
        var fd = Native.open(Native.PathBytes(path), Native.ReadOnlyNoFollowNonBlocking, 0);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno switch
            {
                Native.ELOOP => OpenedFile.Refused("not a regular file: a symbolic link"),
                Native.ENXIO => OpenedFile.Refused("not a regular file: a socket"),
                Native.ENOENT => OpenedFile.Refused("the file is gone"),
                _ => OpenedFile.Refused($"cannot open the file (errno {errno})"),
            };
        }

        var handle = new SafeFileHandle((IntPtr)fd, ownsHandle: true);
        var stat = Stat(fd, "", Native.AtEmptyPath);
        var kind = stat is { } s ? KindOfMode(s.Mode) : FileKind.Other;
        if (kind != FileKind.Regular)
        {
            handle.Dispose();
            return OpenedFile.Refused("not a regular file: " + Describe(kind));
        }

        return new OpenedFile(handle, stat!.Value.Size, null);
    }

    /// <summary>
    /// Reads a small text file (a sidecar) under the same rules, never more than <paramref name="maxBytes"/> + 1 bytes:
    /// a sidecar that is a link to /dev/zero, a FIFO or a 2 GB file is refused without being read.
    /// </summary>
    public static async Task<(string? Text, string? Refusal)> ReadSmallTextAsync(string path, int maxBytes, CancellationToken cancellationToken)
    {
        using var opened = Open(path);
        if (opened.Handle is not { } handle)
        {
            return (null, opened.Refusal);
        }

        // Read up to one byte past the limit whatever the size said: the file may be growing.
        var buffer = new byte[maxBytes + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await RandomAccess.ReadAsync(handle, buffer.AsMemory(total), total, cancellationToken)) > 0)
        {
            total += read;
        }

        if (total > maxBytes)
        {
            return (null, $"larger than {maxBytes / 1024} KiB");
        }

        try
        {
            return (new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer, 0, total), null);
        }
        catch (DecoderFallbackException)
        {
            return (null, "not UTF-8 text");
        }
    }

    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a directory",
        FileKind.SymbolicLink => "a symbolic link",
        FileKind.Fifo => "a FIFO",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Socket => "a socket",
        FileKind.Missing => "gone",
        _ => "an unknown kind of file",
    };

    private static FileKind KindOfMode(ushort mode) => (mode & 0xF000) switch
    {
        0x8000 => FileKind.Regular,
        0x4000 => FileKind.Directory,
        0xA000 => FileKind.SymbolicLink,
        0x1000 => FileKind.Fifo,
        0x2000 => FileKind.CharacterDevice,
        0x6000 => FileKind.BlockDevice,
        0xC000 => FileKind.Socket,
        _ => FileKind.Other,
    };

    private static (ushort Mode, long Size)? Stat(int dirFd, string path, int flags)
    {
        var buffer = new byte[Native.StatxSize];
        if (Native.statx(dirFd, Native.PathBytes(path), flags, Native.StatxTypeModeSize, buffer) != 0)
        {
            return null;
        }

        // struct statx (linux/stat.h) is the same on every architecture: stx_mode (u16) at 28, stx_size (u64) at 40.
        return (BitConverter.ToUInt16(buffer, 28), (long)BitConverter.ToUInt64(buffer, 40));
    }

    /// <summary>libc calls, with the Linux constants they need. Paths are passed as NUL-terminated UTF-8 bytes.</summary>
    private static class Native
    {
        public const int AtFdCwd = -100;
        public const int AtSymlinkNoFollow = 0x100;
        public const int AtEmptyPath = 0x1000;
        public const uint StatxTypeModeSize = 0x1 | 0x2 | 0x200; // STATX_TYPE | STATX_MODE | STATX_SIZE
        public const int StatxSize = 256;
        public const int ENOENT = 2;
        public const int ENXIO = 6;
        public const int ELOOP = 40;

        private const int ONonBlock = 0x800;
        private const int ONoCtty = 0x100;
        private const int OCloExec = 0x80000;

        // O_NOFOLLOW is 0400000 on x86 and 0100000 on the ARM ABIs.
        private static readonly int ONoFollow = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x8000 : 0x20000;

        /// <summary>
        /// O_RDONLY, no link in the last component, no wait for a FIFO's writer, never a controlling terminal, and
        /// not inherited by ffmpeg. O_NONBLOCK has no effect on reads of a regular file.
        /// </summary>
        public static readonly int ReadOnlyNoFollowNonBlocking = ONoFollow | ONonBlock | ONoCtty | OCloExec;

        public static byte[] PathBytes(string path)
        {
            var bytes = new byte[Encoding.UTF8.GetByteCount(path) + 1];
            Encoding.UTF8.GetBytes(path, bytes);
            return bytes;
        }

#pragma warning disable SYSLIB1054, CA5392 // LibraryImport would need unsafe code in this project; libc comes from the system
        [DllImport("libc", SetLastError = true)]
        public static extern int open(byte[] path, int flags, int mode);

        [DllImport("libc", SetLastError = true)]
        public static extern int statx(int dirFd, byte[] path, int flags, uint mask, byte[] buffer);
#pragma warning restore SYSLIB1054, CA5392
    }
}

/// <summary>A regular file opened for reading (the caller disposes it), or why it was refused.</summary>
public sealed class OpenedFile(SafeFileHandle? handle, long length, string? refusal) : IDisposable
{
    public SafeFileHandle? Handle { get; } = handle;
    public long Length { get; } = length;
    public string? Refusal { get; } = refusal;

    public static OpenedFile Refused(string reason) => new(null, 0, reason);

    public void Dispose() => Handle?.Dispose();
}
