using System.Xml.Linq;

namespace TranscodeFarm.Core.Drm;

internal static class CpixNames
{
    public static readonly XNamespace Cpix = "urn:dashif:org:cpix";
    public static readonly XNamespace Pskc = "urn:ietf:params:xml:ns:keyprov:pskc";

    public static readonly XName Root = Cpix + "CPIX";
    public static readonly XName DeliveryDataList = Cpix + "DeliveryDataList";
    public static readonly XName ContentKeyList = Cpix + "ContentKeyList";
    public static readonly XName ContentKeyElement = Cpix + "ContentKey";
    public static readonly XName Data = Cpix + "Data";
    public static readonly XName Secret = Pskc + "Secret";
    public static readonly XName PlainValue = Pskc + "PlainValue";
    public static readonly XName EncryptedValue = Pskc + "EncryptedValue";
    public static readonly XName DrmSystemList = Cpix + "DRMSystemList";
    public static readonly XName DrmSystemElement = Cpix + "DRMSystem";
    public static readonly XName Pssh = Cpix + "PSSH";
    public static readonly XName ContentProtectionData = Cpix + "ContentProtectionData";
    public static readonly XName HlsSignalingData = Cpix + "HLSSignalingData";
    public static readonly XName UsageRuleList = Cpix + "ContentKeyUsageRuleList";
    public static readonly XName UsageRule = Cpix + "ContentKeyUsageRule";
    public static readonly XName KeyPeriodFilter = Cpix + "KeyPeriodFilter";
    public static readonly XName LabelFilter = Cpix + "LabelFilter";
}
