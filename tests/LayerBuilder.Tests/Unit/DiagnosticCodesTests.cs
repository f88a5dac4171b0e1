using System.Reflection;
using LayerBuilder.Diagnostics;

namespace LayerBuilder.Tests.Unit;

/// <summary>Diagnostic codes are stable identities users search for: one number, one id, one meaning.</summary>
public sealed class DiagnosticCodesTests
{
    /// <summary>
    /// Every code there is, written out by hand: not derived from <see cref="DiagnosticCodes"/>, so a code
    /// dropped from <see cref="DiagnosticCodes.All"/>, renumbered or renamed fails here. A new code is added
    /// to this list, to docs/diagnostics.md and to the table in one change.
    /// </summary>
    private static readonly (string Id, string Field)[] Expected =
    [
        ("LB1001", "YamlSyntax"),
        ("LB1002", "EmptyRecipe"),
        ("LB1003", "UnknownKey"),
        ("LB1004", "WrongType"),
        ("LB1005", "MissingKey"),
        ("LB1006", "DuplicateKey"),
        ("LB1010", "InvalidImageName"),
        ("LB1011", "InvalidTag"),
        ("LB1012", "InvalidPlatform"),
        ("LB1013", "InvalidTimestamp"),
        ("LB1014", "UnknownArg"),
        ("LB1015", "InvalidArgSyntax"),
        ("LB1020", "InvalidMode"),
        ("LB1021", "InvalidOwner"),
        ("LB1022", "InvalidImagePath"),
        ("LB1023", "PathEscapesRoot"),
        ("LB1024", "InvalidBase"),
        ("LB1025", "InvalidPort"),
        ("LB1026", "InvalidSignal"),
        ("LB1027", "InvalidDuration"),
        ("LB1028", "InvalidBase64"),
        ("LB1029", "EmptyStep"),
        ("LB1030", "InvalidGlob"),
        ("LB1031", "InvalidUser"),
        ("LB1032", "ConflictingKeys"),
        ("LB1033", "NestingTooDeep"),
        ("LB1034", "ComplexKey"),
        ("LB1035", "WhiteoutPath"),
        ("LB1036", "InvalidBaseReference"),
        ("LB1042", "InvalidNodeType"),
        ("LB1043", "InvalidDeviceNumber"),
        ("LB1044", "InvalidXattr"),
        ("LB1045", "InvalidEntryTime"),
        ("LB1046", "InvalidPathEscape"),
        ("LB1047", "InvalidCheck"),
        ("LB1048", "InvalidImageId"),
        ("LB1055", "UnknownFault"),
        ("LB1056", "FaultNotApplicable"),
        ("LB1057", "ImageNotInArchive"),
        ("LB1060", "EnvReferenceOutsideEnv"),
        ("LB1061", "UnknownEnvReference"),
        ("LB1065", "InvalidUserEntry"),
        ("LB1066", "UserClash"),
        ("LB1067", "UnusedArg"),
        ("LB1068", "InitNotPossible"),
        ("LB1069", "InvalidHostPath"),
        ("LB1070", "PlatformAndPlatforms"),
        ("LB1071", "TargetArgSet"),
        ("LB1072", "InvalidPlatforms"),
        ("LB1073", "SeveralPlatformsInDockerFormat"),
        ("LB1074", "PlatformNotInRecipe"),
        ("LB1075", "FaultsWithPlatforms"),
        ("LB2001", "SourceNotFound"),
        ("LB2002", "GlobMatchesNothing"),
        ("LB2003", "DuplicatePath"),
        ("LB2004", "RemoveMissingPath"),
        ("LB2005", "HardlinkTargetMissing"),
        ("LB2006", "HardlinkTargetNotFile"),
        ("LB2007", "ParentIsNotDirectory"),
        ("LB2008", "SymlinkLoop"),
        ("LB2009", "RootfsUnreadable"),
        ("LB2010", "UnsupportedArchive"),
        ("LB2011", "SourceUnreadable"),
        ("LB2012", "UnsupportedEntry"),
        ("LB2013", "RecipeNotFound"),
        ("LB2014", "UnsafeArchiveEntry"),
        ("LB2015", "SourceChanged"),
        ("LB2016", "BaseRefNotFound"),
        ("LB2017", "BaseRefAmbiguous"),
        ("LB2018", "BaseLayerCorrupt"),
        ("LB2019", "BaseImageInvalid"),
        ("LB2020", "UnknownUserOrGroup"),
        ("LB2021", "WhiteoutEntry"),
        ("LB2022", "MetadataTooLarge"),
        ("LB2023", "InputDamaged"),
        ("LB2024", "ImageArchiveUnreadable"),
        ("LB2026", "MarkerConflict"),
        ("LB2030", "BasePlatformMissing"),
        ("LB3001", "OutputNotWritable"),
        ("LB3002", "OutputInsideSource"),
        ("LB3003", "OutputIsInput"),
        ("LB3004", "OutputNotRegularFile"),
        ("LB3005", "CacheUnusable"),
        ("LB4001", "BlobDigestMismatch"),
        ("LB4002", "BlobSizeMismatch"),
        ("LB4003", "DiffIdMismatch"),
        ("LB4004", "CountMismatch"),
        ("LB4005", "MemberMissing"),
        ("LB4006", "ReferencesDisagree"),
        ("LB4007", "UnknownMediaType"),
        ("LB4008", "LayerUnreadable"),
        ("LB4009", "MetadataInvalid"),
        ("LB4010", "MemberClimbsOut"),
        ("LB4011", "AbsoluteMemberName"),
        ("LB4012", "DuplicateMember"),
        ("LB4013", "SymlinkClimbsOut"),
        ("LB4014", "WrittenThroughSymlink"),
        ("LB4015", "LayerChainBroken"),
        ("LB4016", "PlatformManifestMissing"),
        ("LB5001", "RegistryHostUnknown"),
        ("LB5002", "RegistryUnreachable"),
        ("LB5003", "RegistryTlsFailed"),
        ("LB5004", "RegistryUnauthorized"),
        ("LB5005", "RegistryDenied"),
        ("LB5006", "ManifestUnknown"),
        ("LB5007", "PlatformNotInIndex"),
        ("LB5008", "RegistryDigestMismatch"),
        ("LB5009", "UnsupportedManifest"),
        ("LB5010", "RegistryError"),
        ("LB5011", "NotCachedOffline"),
        ("LB5012", "CredentialsUnusable"),
        ("LB5013", "RegistryResponseInvalid"),
        ("LB5014", "BlobUnknown"),
        ("LB5015", "RegistryConnectionLost"),
        ("LB5016", "BaseLayerUnreadable"),
        ("LB5030", "EngineHostUnsupported"),
        ("LB5031", "EngineUnreachable"),
        ("LB5032", "EngineRefusedImage"),
        ("LB5040", "PushDigestMismatch"),
        ("LB5041", "CompressedLayerChanged"),
        ("LB5050", "EnginePlatformNotBuilt"),
        ("LB5060", "PulledBlobDamaged"),
        ("LB6001", "CheckedPathMissing"),
        ("LB6002", "CheckedPathPresent"),
        ("LB6003", "CheckedTypeDiffers"),
        ("LB6004", "CheckedModeDiffers"),
        ("LB6005", "CheckedOwnerDiffers"),
        ("LB6006", "CheckedSizeDiffers"),
        ("LB6007", "CheckedDigestDiffers"),
        ("LB6008", "CheckedTextMissing"),
        ("LB6009", "CheckedTargetDiffers"),
        ("LB6010", "CheckedConfigDiffers"),
        ("LB6011", "ImageIdDiffers"),
        ("LB7001", "DockerfileRun"),
        ("LB7002", "DockerfileRemoteSource"),
        ("LB7003", "DockerfileCopyFrom"),
        ("LB7004", "DockerfileHeredoc"),
        ("LB7005", "DockerfileMultiStage"),
        ("LB7006", "DockerfileConfigWithoutKey"),
        ("LB7007", "DockerfileUnknownInstruction"),
        ("LB7008", "DockerfileSyntax"),
        ("LB7009", "DockerfileUnsupportedFlag"),
        ("LB7010", "DockerfileVariable"),
        ("LB7011", "DockerfileArchive"),
        ("LB7012", "DockerfileNoFrom"),
        ("LB7013", "DockerfileWorkdirNotCreated"),
        ("LB7014", "DockerfileUnreadable"),
        ("LB8001", "UnknownLayering"),
        ("LB8002", "InvalidPublishItem"),
        ("LB8003", "RuntimeMissing"),
        ("LB8004", "RuntimeIdentifierNotLinux"),
        ("LB8005", "IcuMissing"),
        ("LB8006", "UserNotInPasswd"),
        ("LB8007", "NotAnApp"),
        ("LB8010", "RuntimeIdentifiersWithPlatformRecipe"),
        ("LB8011", "RuntimeIdentifierNotRestored"),
        ("LB9001", "Internal"),
        ("LB9002", "Cancelled"),
    ];

    [Test]
    public void All_lists_exactly_the_codes_written_out_here_in_order()
    {
        Assert.That(DiagnosticCodes.All.Select(c => c.Id), Is.EqualTo(Expected.Select(e => e.Id)));
    }

    [Test]
    public void Each_code_is_declared_under_its_name_with_its_number()
    {
        var fields = typeof(DiagnosticCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticCode))
            .ToDictionary(f => f.Name, f => ((DiagnosticCode)f.GetValue(null)!).Id);

        Assert.That(fields, Is.EquivalentTo(Expected.ToDictionary(e => e.Field, e => e.Id)));
    }

    [Test]
    public void Numbers_are_unique() =>
        Assert.That(DiagnosticCodes.All.Select(c => c.Number), Is.Unique);

    [Test]
    public void Ids_are_unique_and_spelled_LB_and_four_digits()
    {
        Assert.That(DiagnosticCodes.All.Select(c => c.Id), Is.Unique);
        Assert.That(DiagnosticCodes.All.Select(c => c.Id), Has.All.Match("^LB[0-9]{4}$"));
    }

    [Test]
    public void Titles_are_unique_and_not_empty()
    {
        Assert.That(DiagnosticCodes.All.Select(c => c.Title), Is.Unique);
        Assert.That(DiagnosticCodes.All.Select(c => c.Title), Has.None.Empty);
    }

    [Test]
    public void Numbers_fall_in_the_documented_ranges() =>
        Assert.That(DiagnosticCodes.All.Select(c => c.Number / 1000), Has.All.AnyOf(1, 2, 3, 4, 5, 6, 7, 8, 9));
}
