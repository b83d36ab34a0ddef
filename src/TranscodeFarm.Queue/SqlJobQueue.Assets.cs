using System.Data.Common;

namespace TranscodeFarm.Queue;

/// <summary>The dialect's part in asset changes (see <see cref="Assets.SqlAssetDirectory"/>).</summary>
public abstract partial class SqlJobQueue
{
    /// <summary>Called first in the transaction of an asset change: it must make asset changes wait for each other until
    /// commit. Nothing to do where every write transaction already locks the database (SQLite's BEGIN IMMEDIATE).</summary>
    internal virtual Task LockAssetChangesAsync(DbConnection db, DbTransaction tx, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Called inside the transaction that changed an asset: the place to tell other hosts at commit.</summary>
    /// <summary>For a guard that reads a row it must keep unchanged until commit (the asset directory's lease fence).</summary>
    internal string RowLockClause => RowLock;

    internal virtual Task AssetChangedAsync(DbConnection db, DbTransaction tx, string assetId, CancellationToken cancellationToken) => Task.CompletedTask;
}
