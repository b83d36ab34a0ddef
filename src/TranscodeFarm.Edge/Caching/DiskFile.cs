using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace TranscodeFarm.Edge.Caching;

/// <summary>
/// Opens a disk-tier file for reading only if it is a regular file: .NET's File.OpenHandle follows links and blocks on a
/// FIFO with no writer, so open(2) with O_NOFOLLOW|O_NONBLOCK and the type taken from the open descriptor (statx with
/// AT_EMPTY_PATH), as the worker's UntrustedFile does for producer files (decision 015). Anyone who can write the cache
/// directory could plant a link or a FIFO there; the edge must neither read through it nor hang on it.
/// </summary>
internal static class DiskFile
{
    /// <summary>The open file and its size, or null (gone, a link, not a regular file, unreadable).</summary>
    public static (SafeFileHandle Handle, long Size)? OpenRegular(string path)
    {
        var fd = Native.open(PathBytes(path), Native.ReadOnlyNoFollowNonBlocking, 0);
        if (fd < 0)
        {
            return null;
        }

        var handle = new SafeFileHandle((IntPtr)fd, ownsHandle: true);
        var stat = new byte[Native.StatxSize];
        // struct statx is the same on every Linux architecture: stx_mode (u16) at 28, stx_size (u64) at 40.
        if (Native.statx(fd, PathBytes(""), Native.AtEmptyPath, Native.StatxTypeModeSize, stat) != 0 || (BitConverter.ToUInt16(stat, 28) & 0xF000) != 0x8000)
        {
            handle.Dispose();
            return null;
        }

        return (handle, (long)BitConverter.ToUInt64(stat, 40));
    }

    private static byte[] PathBytes(string path)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(path) + 1];
        Encoding.UTF8.GetBytes(path, bytes);
        return bytes;
    }

    private static class Native
    {
        public const int AtEmptyPath = 0x1000;
        public const uint StatxTypeModeSize = 0x1 | 0x2 | 0x200; // STATX_TYPE | STATX_MODE | STATX_SIZE
        public const int StatxSize = 256;

        // O_NOFOLLOW is 0400000 on x86 and 0100000 on the ARM ABIs; O_NONBLOCK 04000, O_NOCTTY 0400, O_CLOEXEC 02000000.
        private static readonly int ONoFollow = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x8000 : 0x20000;

        public static readonly int ReadOnlyNoFollowNonBlocking = ONoFollow | 0x800 | 0x100 | 0x80000;

#pragma warning disable SYSLIB1054, CA5392 // LibraryImport would need unsafe code in this project; libc comes from the system
        [DllImport("libc", SetLastError = true)]
        public static extern int open(byte[] path, int flags, int mode);

        [DllImport("libc", SetLastError = true)]
        public static extern int statx(int dirFd, byte[] path, int flags, uint mask, byte[] buffer);
#pragma warning restore SYSLIB1054, CA5392
    }
}
