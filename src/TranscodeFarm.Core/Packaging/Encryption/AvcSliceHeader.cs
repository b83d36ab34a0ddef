namespace TranscodeFarm.Core.Packaging.Encryption;

/// <summary>
/// Measures H.264 slice headers (ITU-T H.264 7.3.3) so subsample encryption leaves them clear, as ISO/IEC 23001-7
/// and CMAF require. Keeps the SPS/PPS fields the slice header syntax depends on, from avcC and in-band NAL units.
/// </summary>
internal sealed class AvcSliceHeader
{
    private readonly Dictionary<uint, Sps> _sps = [];
    private readonly Dictionary<uint, Pps> _pps = [];

    private sealed record Sps(uint ChromaArrayType, bool SeparateColourPlane, int Log2MaxFrameNum, uint PocType, int Log2MaxPocLsb, bool DeltaPicOrderAlwaysZero, bool FrameMbsOnly);

    private sealed record Pps(uint SpsId, bool EntropyCodingMode, bool BottomFieldPicOrderPresent, uint NumRefIdxL0Default, uint NumRefIdxL1Default,
        bool WeightedPred, uint WeightedBipredIdc, bool DeblockingFilterControl, bool RedundantPicCntPresent);

    public AvcSliceHeader(byte[]? avcC)
    {
        if (avcC is null || avcC.Length < 7)
        {
            return;
        }

        // avcC: 5 fixed bytes, then the SPS list (count in the low 5 bits) and the PPS list (count in a byte).
        var pos = 5;
        if (ReadList(avcC, ref pos, avcC[pos++] & 0x1F) && pos < avcC.Length)
        {
            ReadList(avcC, ref pos, avcC[pos++]);
        }
    }

    /// <summary>Reads <paramref name="count"/> length-prefixed parameter sets; false if the record is cut short.</summary>
    private bool ReadList(byte[] avcC, ref int pos, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (pos + 2 > avcC.Length)
            {
                return false;
            }

            var len = (avcC[pos] << 8) | avcC[pos + 1];
            pos += 2;
            if (pos + len > avcC.Length)
            {
                return false;
            }

            ReadParameterSet(avcC.AsSpan(pos, len));
            pos += len;
        }

        return true;
    }

    public static bool IsVcl(int nalType) => nalType is >= 1 and <= 5;

    /// <summary>Records an SPS (7) or PPS (8); other NAL units are ignored.</summary>
    public void ReadParameterSet(ReadOnlySpan<byte> nal)
    {
        if (nal.Length < 2)
        {
            return;
        }

        switch (nal[0] & 0x1F)
        {
            case 7:
                ReadSps(nal);
                break;
            case 8:
                ReadPps(nal);
                break;
        }
    }

    /// <summary>Bytes from the NAL header through the end of the slice header.</summary>
    public int Measure(ReadOnlySpan<byte> nal)
    {
        var nalType = nal[0] & 0x1F;
        var nalRefIdc = (nal[0] >> 5) & 3;
        var r = new RbspBitReader(nal, 1);
        r.Ue(); // first_mb_in_slice
        var sliceType = r.Ue() % 5;
        var ppsId = r.Ue();
        if (!_pps.TryGetValue(ppsId, out var pps) || !_sps.TryGetValue(pps.SpsId, out var sps))
        {
            throw new Mp4FormatException($"an H.264 slice refers to parameter set {ppsId}, which was never sent");
        }

        bool isP = sliceType is 0 or 3, isB = sliceType == 1, isI = sliceType is 2 or 4;
        if (sps.SeparateColourPlane)
        {
            r.Bits(2);
        }

        r.Bits(sps.Log2MaxFrameNum);
        var fieldPic = false;
        if (!sps.FrameMbsOnly)
        {
            fieldPic = r.Flag();
            if (fieldPic)
            {
                r.Flag();
            }
        }

        if (nalType == 5)
        {
            r.Ue(); // idr_pic_id
        }

        if (sps.PocType == 0)
        {
            r.Bits(sps.Log2MaxPocLsb);
            if (pps.BottomFieldPicOrderPresent && !fieldPic)
            {
                r.Se();
            }
        }
        else if (sps.PocType == 1 && !sps.DeltaPicOrderAlwaysZero)
        {
            r.Se();
            if (pps.BottomFieldPicOrderPresent && !fieldPic)
            {
                r.Se();
            }
        }

        if (pps.RedundantPicCntPresent)
        {
            r.Ue();
        }

        if (isB)
        {
            r.Flag(); // direct_spatial_mv_pred_flag
        }

        uint l0 = pps.NumRefIdxL0Default, l1 = pps.NumRefIdxL1Default;
        if (isP || isB)
        {
            if (r.Flag())
            {
                l0 = r.Ue() + 1;
                if (isB)
                {
                    l1 = r.Ue() + 1;
                }
            }
        }

        if (!isI)
        {
            RefPicListModification(ref r);
            if (isB)
            {
                RefPicListModification(ref r);
            }
        }

        if ((pps.WeightedPred && isP) || (pps.WeightedBipredIdc == 1 && isB))
        {
            PredWeightTable(ref r, sps.ChromaArrayType, l0, isB ? l1 : 0);
        }

        if (nalRefIdc != 0)
        {
            DecRefPicMarking(ref r, nalType == 5);
        }

        if (pps.EntropyCodingMode && !isI)
        {
            r.Ue(); // cabac_init_idc
        }

        r.Se(); // slice_qp_delta
        if (sliceType is 3 or 4)
        {
            if (sliceType == 3)
            {
                r.Flag();
            }

            r.Se();
        }

        if (pps.DeblockingFilterControl && r.Ue() != 1)
        {
            r.Se();
            r.Se();
        }

        return r.BytesConsumed;
    }

    private static void RefPicListModification(ref RbspBitReader r)
    {
        if (!r.Flag())
        {
            return;
        }

        for (var i = 0; i < 100; i++)
        {
            var idc = r.Ue();
            if (idc == 3)
            {
                return;
            }

            r.Ue();
        }

        throw new Mp4FormatException("an H.264 slice header has an endless reference list modification");
    }

    private static void PredWeightTable(ref RbspBitReader r, uint chromaArrayType, uint l0, uint l1)
    {
        r.Ue();
        if (chromaArrayType != 0)
        {
            r.Ue();
        }

        foreach (var count in new[] { l0, l1 })
        {
            for (var i = 0; i < count; i++)
            {
                if (r.Flag())
                {
                    r.Se();
                    r.Se();
                }

                if (chromaArrayType != 0 && r.Flag())
                {
                    r.Se();
                    r.Se();
                    r.Se();
                    r.Se();
                }
            }
        }
    }

    private static void DecRefPicMarking(ref RbspBitReader r, bool idr)
    {
        if (idr)
        {
            r.Flag();
            r.Flag();
            return;
        }

        if (!r.Flag())
        {
            return;
        }

        for (var i = 0; i < 100; i++)
        {
            var op = r.Ue();
            if (op == 0)
            {
                return;
            }

            if (op is 1 or 3)
            {
                r.Ue();
            }

            if (op == 2)
            {
                r.Ue();
            }

            if (op is 3 or 6)
            {
                r.Ue();
            }

            if (op == 4)
            {
                r.Ue();
            }
        }

        throw new Mp4FormatException("an H.264 slice header has an endless reference marking list");
    }

    private void ReadSps(ReadOnlySpan<byte> nal)
    {
        var r = new RbspBitReader(nal, 1);
        var profile = r.Bits(8);
        r.Bits(16); // constraint flags, level
        var id = r.Ue();
        uint chroma = 1;
        var separate = false;
        if (profile is 100 or 110 or 122 or 244 or 44 or 83 or 86 or 118 or 128 or 138 or 139 or 134 or 135)
        {
            chroma = r.Ue();
            if (chroma == 3)
            {
                separate = r.Flag();
            }

            r.Ue();
            r.Ue();
            r.Flag();
            if (r.Flag())
            {
                for (var i = 0; i < (chroma == 3 ? 12 : 8); i++)
                {
                    if (r.Flag())
                    {
                        SkipScalingList(ref r, i < 6 ? 16 : 64);
                    }
                }
            }
        }

        var log2MaxFrameNum = (int)r.Ue() + 4;
        var pocType = r.Ue();
        var log2MaxPocLsb = 0;
        var alwaysZero = false;
        if (pocType == 0)
        {
            log2MaxPocLsb = (int)r.Ue() + 4;
        }
        else if (pocType == 1)
        {
            alwaysZero = r.Flag();
            r.Se();
            r.Se();
            var cycle = r.Ue();
            for (var i = 0; i < Math.Min(cycle, 256); i++)
            {
                r.Se();
            }
        }

        r.Ue(); // max_num_ref_frames
        r.Flag();
        r.Ue();
        r.Ue();
        var frameMbsOnly = r.Flag();
        _sps[id] = new Sps(separate ? 0 : chroma, separate, log2MaxFrameNum, pocType, log2MaxPocLsb, alwaysZero, frameMbsOnly);
    }

    private void ReadPps(ReadOnlySpan<byte> nal)
    {
        var r = new RbspBitReader(nal, 1);
        var id = r.Ue();
        var spsId = r.Ue();
        var cabac = r.Flag();
        var bottomField = r.Flag();
        if (r.Ue() > 0)
        {
            throw new Mp4FormatException("H.264 slice groups (FMO) are not supported for encryption");
        }

        var l0 = r.Ue() + 1;
        var l1 = r.Ue() + 1;
        var weighted = r.Flag();
        var bipred = r.Bits(2);
        r.Se();
        r.Se();
        r.Se();
        var deblocking = r.Flag();
        r.Flag();
        var redundant = r.Flag();
        _pps[id] = new Pps(spsId, cabac, bottomField, l0, l1, weighted, bipred, deblocking, redundant);
    }

    private static void SkipScalingList(ref RbspBitReader r, int size)
    {
        int last = 8, next = 8;
        for (var j = 0; j < size; j++)
        {
            if (next != 0)
            {
                next = (last + r.Se() + 256) % 256;
            }

            last = next == 0 ? last : next;
        }
    }
}
