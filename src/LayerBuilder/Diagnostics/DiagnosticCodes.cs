namespace LayerBuilder.Diagnostics;

/// <summary>The one table of every diagnostic code LayerBuilder reports. A test keeps numbers unique.</summary>
public static class DiagnosticCodes
{
    // LB1xxx: the recipe itself.
    public static readonly DiagnosticCode YamlSyntax = new(1001, "YAML syntax error");
    public static readonly DiagnosticCode EmptyRecipe = new(1002, "Recipe is empty");
    public static readonly DiagnosticCode UnknownKey = new(1003, "Unknown key");
    public static readonly DiagnosticCode WrongType = new(1004, "Value has the wrong type");
    public static readonly DiagnosticCode MissingKey = new(1005, "Required key is missing");
    public static readonly DiagnosticCode DuplicateKey = new(1006, "Key given twice");
    public static readonly DiagnosticCode InvalidImageName = new(1010, "Invalid image name");
    public static readonly DiagnosticCode InvalidTag = new(1011, "Invalid tag");
    public static readonly DiagnosticCode InvalidPlatform = new(1012, "Invalid platform");
    public static readonly DiagnosticCode InvalidTimestamp = new(1013, "Invalid timestamp");
    public static readonly DiagnosticCode UnknownArg = new(1014, "Unknown ${ARG}");
    public static readonly DiagnosticCode InvalidArgSyntax = new(1015, "Malformed ${...} reference");
    public static readonly DiagnosticCode InvalidMode = new(1020, "Invalid file mode");
    public static readonly DiagnosticCode InvalidOwner = new(1021, "Invalid owner");
    public static readonly DiagnosticCode InvalidImagePath = new(1022, "Invalid image path");
    public static readonly DiagnosticCode PathEscapesRoot = new(1023, "Path climbs above /");
    public static readonly DiagnosticCode InvalidBase = new(1024, "Invalid base");
    public static readonly DiagnosticCode InvalidPort = new(1025, "Invalid port");
    public static readonly DiagnosticCode InvalidSignal = new(1026, "Invalid stop signal");
    public static readonly DiagnosticCode InvalidDuration = new(1027, "Invalid duration");
    public static readonly DiagnosticCode InvalidBase64 = new(1028, "Invalid base64 content");
    public static readonly DiagnosticCode EmptyStep = new(1029, "Step does nothing");
    public static readonly DiagnosticCode InvalidGlob = new(1030, "Invalid glob");
    public static readonly DiagnosticCode InvalidUser = new(1031, "Invalid user");
    public static readonly DiagnosticCode ConflictingKeys = new(1032, "Keys that exclude each other");
    public static readonly DiagnosticCode NestingTooDeep = new(1033, "Recipe nested too deeply");
    public static readonly DiagnosticCode ComplexKey = new(1034, "Mapping key is not a plain value");
    public static readonly DiagnosticCode WhiteoutPath = new(1035, "Path is a whiteout name");
    public static readonly DiagnosticCode InvalidBaseReference = new(1036, "Invalid base image reference");
    public static readonly DiagnosticCode InvalidNodeType = new(1042, "Invalid node type");
    public static readonly DiagnosticCode InvalidDeviceNumber = new(1043, "Invalid device number");
    public static readonly DiagnosticCode InvalidXattr = new(1044, "Invalid extended attribute");
    public static readonly DiagnosticCode InvalidEntryTime = new(1045, "Invalid entry mtime");
    public static readonly DiagnosticCode InvalidPathEscape = new(1046, "Invalid byte escape in a path");
    public static readonly DiagnosticCode InvalidCheck = new(1047, "Invalid check");
    public static readonly DiagnosticCode InvalidImageId = new(1048, "Invalid expected image id");
    public static readonly DiagnosticCode UnknownFault = new(1055, "Unknown fault");
    public static readonly DiagnosticCode FaultNotApplicable = new(1056, "Fault cannot apply to this image");
    public static readonly DiagnosticCode ImageNotInArchive = new(1057, "No such image in the archive");
    public static readonly DiagnosticCode EnvReferenceOutsideEnv = new(1060, "${env.NAME} outside config.env");
    public static readonly DiagnosticCode UnknownEnvReference = new(1061, "Unknown ${env.NAME}");
    public static readonly DiagnosticCode InvalidUserEntry = new(1065, "Invalid users entry");
    public static readonly DiagnosticCode UserClash = new(1066, "User or group already in the image");
    public static readonly DiagnosticCode UnusedArg = new(1067, "Arg given but never used");
    public static readonly DiagnosticCode InitNotPossible = new(1068, "init cannot write the starter recipe");
    public static readonly DiagnosticCode InvalidHostPath = new(1069, "Invalid host path");
    public static readonly DiagnosticCode PlatformAndPlatforms = new(1070, "Both platform and platforms");
    public static readonly DiagnosticCode TargetArgSet = new(1071, "TARGET arg set in a recipe with platforms");
    public static readonly DiagnosticCode InvalidPlatforms = new(1072, "Invalid platforms list");
    public static readonly DiagnosticCode SeveralPlatformsInDockerFormat = new(1073, "Several platforms in the docker format");
    public static readonly DiagnosticCode PlatformNotInRecipe = new(1074, "Platform not among the recipe's");
    public static readonly DiagnosticCode FaultsWithPlatforms = new(1075, "Faults in a recipe with platforms");

    // LB2xxx: inputs the recipe names, and what the steps do with them.
    public static readonly DiagnosticCode SourceNotFound = new(2001, "Source not found");
    public static readonly DiagnosticCode GlobMatchesNothing = new(2002, "Glob matches nothing");
    public static readonly DiagnosticCode DuplicatePath = new(2003, "Path written twice in one step");
    public static readonly DiagnosticCode RemoveMissingPath = new(2004, "Remove of a path no lower layer has");
    public static readonly DiagnosticCode HardlinkTargetMissing = new(2005, "Hardlink target not found");
    public static readonly DiagnosticCode HardlinkTargetNotFile = new(2006, "Hardlink target is not a regular file");
    public static readonly DiagnosticCode ParentIsNotDirectory = new(2007, "A parent of the path is not a folder");
    public static readonly DiagnosticCode SymlinkLoop = new(2008, "Too many levels of symbolic links");
    public static readonly DiagnosticCode RootfsUnreadable = new(2009, "Base root filesystem cannot be read");
    public static readonly DiagnosticCode UnsupportedArchive = new(2010, "Unsupported archive type");
    public static readonly DiagnosticCode SourceUnreadable = new(2011, "Source cannot be read");
    public static readonly DiagnosticCode UnsupportedEntry = new(2012, "Unsupported file type");
    public static readonly DiagnosticCode RecipeNotFound = new(2013, "Recipe file not found");
    public static readonly DiagnosticCode UnsafeArchiveEntry = new(2014, "Archive entry escapes the root");
    public static readonly DiagnosticCode SourceChanged = new(2015, "Source changed while it was read");
    public static readonly DiagnosticCode BaseRefNotFound = new(2016, "Base image reference not found");
    public static readonly DiagnosticCode BaseRefAmbiguous = new(2017, "Base archive holds several images");
    public static readonly DiagnosticCode BaseLayerCorrupt = new(2018, "Base layer does not match its digest");
    public static readonly DiagnosticCode BaseImageInvalid = new(2019, "Base image metadata is invalid");
    public static readonly DiagnosticCode UnknownUserOrGroup = new(2020, "User or group name not found in the image");
    public static readonly DiagnosticCode WhiteoutEntry = new(2021, "Input entry is a whiteout marker");
    public static readonly DiagnosticCode MetadataTooLarge = new(2022, "Archive metadata over the limit");
    public static readonly DiagnosticCode InputDamaged = new(2023, "Input archive is damaged");
    public static readonly DiagnosticCode ImageArchiveUnreadable = new(2024, "Image archive cannot be read");
    public static readonly DiagnosticCode MarkerConflict = new(2026, "Whiteout or opaque marker conflicts with the step");
    public static readonly DiagnosticCode BasePlatformMissing = new(2030, "Base has no image of the platform");

    // LB3xxx: the output.
    public static readonly DiagnosticCode OutputNotWritable = new(3001, "Output cannot be written");
    public static readonly DiagnosticCode OutputInsideSource = new(3002, "Output inside a copied folder");
    public static readonly DiagnosticCode OutputIsInput = new(3003, "Output is one of the inputs");
    public static readonly DiagnosticCode OutputNotRegularFile = new(3004, "Output is not a regular file");
    public static readonly DiagnosticCode CacheUnusable = new(3005, "Layer cache cannot be used");

    // LB4xxx: problems found in an image by validation (Reading/ImageValidator).
    public static readonly DiagnosticCode BlobDigestMismatch = new(4001, "Blob does not match its digest");
    public static readonly DiagnosticCode BlobSizeMismatch = new(4002, "Blob does not have its size");
    public static readonly DiagnosticCode DiffIdMismatch = new(4003, "Layer does not match its diff id");
    public static readonly DiagnosticCode CountMismatch = new(4004, "Counts disagree");
    public static readonly DiagnosticCode MemberMissing = new(4005, "Referenced member is missing");
    public static readonly DiagnosticCode ReferencesDisagree = new(4006, "Metadata files disagree");
    public static readonly DiagnosticCode UnknownMediaType = new(4007, "Unknown media type");
    public static readonly DiagnosticCode LayerUnreadable = new(4008, "Layer is not a readable tar");
    public static readonly DiagnosticCode MetadataInvalid = new(4009, "Metadata cannot be read");
    public static readonly DiagnosticCode MemberClimbsOut = new(4010, "Layer member climbs above the root");
    public static readonly DiagnosticCode AbsoluteMemberName = new(4011, "Layer member name is absolute");
    public static readonly DiagnosticCode DuplicateMember = new(4012, "Layer member given twice");
    public static readonly DiagnosticCode SymlinkClimbsOut = new(4013, "Symlink target climbs above the root");
    public static readonly DiagnosticCode WrittenThroughSymlink = new(4014, "Layer member written through a symlink out of the root");
    public static readonly DiagnosticCode LayerChainBroken = new(4015, "Layer chain broken");
    public static readonly DiagnosticCode PlatformManifestMissing = new(4016, "Platform manifest missing");

    // LB5xxx: registries and engines.
    public static readonly DiagnosticCode RegistryHostUnknown = new(5001, "Registry host not found");
    public static readonly DiagnosticCode RegistryUnreachable = new(5002, "Registry cannot be reached");
    public static readonly DiagnosticCode RegistryTlsFailed = new(5003, "Registry TLS connection failed");
    public static readonly DiagnosticCode RegistryUnauthorized = new(5004, "Registry refused the credentials");
    public static readonly DiagnosticCode RegistryDenied = new(5005, "Registry denied access");
    public static readonly DiagnosticCode ManifestUnknown = new(5006, "Image not found in the registry");
    public static readonly DiagnosticCode PlatformNotInIndex = new(5007, "Platform not in the image index");
    public static readonly DiagnosticCode RegistryDigestMismatch = new(5008, "Registry content does not match its digest");
    public static readonly DiagnosticCode UnsupportedManifest = new(5009, "Unsupported manifest");
    public static readonly DiagnosticCode RegistryError = new(5010, "Registry answered with an error");
    public static readonly DiagnosticCode NotCachedOffline = new(5011, "Base not in the cache while offline");
    public static readonly DiagnosticCode CredentialsUnusable = new(5012, "Credentials cannot be read");
    public static readonly DiagnosticCode RegistryResponseInvalid = new(5013, "Registry response is invalid");
    public static readonly DiagnosticCode BlobUnknown = new(5014, "Blob not found in the registry");
    public static readonly DiagnosticCode RegistryConnectionLost = new(5015, "Registry connection lost");
    public static readonly DiagnosticCode BaseLayerUnreadable = new(5016, "Pulled layer cannot be read");

    // LB5030-LB5059: the docker engine an image is loaded into, and pushes to a registry.
    public static readonly DiagnosticCode EngineHostUnsupported = new(5030, "Docker host is not a unix socket");
    public static readonly DiagnosticCode EngineUnreachable = new(5031, "Docker engine cannot be reached");
    public static readonly DiagnosticCode EngineRefusedImage = new(5032, "Docker engine did not load the image");
    public static readonly DiagnosticCode PushDigestMismatch = new(5040, "Registry stored another digest than was pushed");
    public static readonly DiagnosticCode CompressedLayerChanged = new(5041, "Compressed layer differs from its record");
    public static readonly DiagnosticCode EnginePlatformNotBuilt = new(5050, "Engine's platform not among the recipe's");

    // LB5060-LB5069: pulled content kept for pushes.
    public static readonly DiagnosticCode PulledBlobDamaged = new(5060, "Kept pulled blob is damaged");

    // LB6xxx: checks the recipe makes on its image (recipe 'checks', --expect-image-id).
    public static readonly DiagnosticCode CheckedPathMissing = new(6001, "Checked path does not exist");
    public static readonly DiagnosticCode CheckedPathPresent = new(6002, "Path exists that must not");
    public static readonly DiagnosticCode CheckedTypeDiffers = new(6003, "Entry has another type");
    public static readonly DiagnosticCode CheckedModeDiffers = new(6004, "Entry has another mode");
    public static readonly DiagnosticCode CheckedOwnerDiffers = new(6005, "Entry has another owner");
    public static readonly DiagnosticCode CheckedSizeDiffers = new(6006, "File has another size");
    public static readonly DiagnosticCode CheckedDigestDiffers = new(6007, "File has another sha256");
    public static readonly DiagnosticCode CheckedTextMissing = new(6008, "File does not contain the text");
    public static readonly DiagnosticCode CheckedTargetDiffers = new(6009, "Link has another target");
    public static readonly DiagnosticCode CheckedConfigDiffers = new(6010, "Config differs from the check");
    public static readonly DiagnosticCode ImageIdDiffers = new(6011, "Image id differs from the expected one");
    // LB7xxx: Dockerfile conversion (dotnet layerbuild convert, Conversion/DockerfileConverter).
    public static readonly DiagnosticCode DockerfileRun = new(7001, "RUN cannot be converted");
    public static readonly DiagnosticCode DockerfileRemoteSource = new(7002, "ADD of a URL");
    public static readonly DiagnosticCode DockerfileCopyFrom = new(7003, "COPY --from another stage or image");
    public static readonly DiagnosticCode DockerfileHeredoc = new(7004, "Heredoc");
    public static readonly DiagnosticCode DockerfileMultiStage = new(7005, "Second build stage");
    public static readonly DiagnosticCode DockerfileConfigWithoutKey = new(7006, "Instruction sets config a recipe has no key for");
    public static readonly DiagnosticCode DockerfileUnknownInstruction = new(7007, "Unknown instruction");
    public static readonly DiagnosticCode DockerfileSyntax = new(7008, "Malformed instruction");
    public static readonly DiagnosticCode DockerfileUnsupportedFlag = new(7009, "Option a recipe has no equivalent for");
    public static readonly DiagnosticCode DockerfileVariable = new(7010, "Variable cannot be converted");
    public static readonly DiagnosticCode DockerfileArchive = new(7011, "ADD of an archive extract cannot express");
    public static readonly DiagnosticCode DockerfileNoFrom = new(7012, "No FROM");
    public static readonly DiagnosticCode DockerfileWorkdirNotCreated = new(7013, "WORKDIR folder not created");
    public static readonly DiagnosticCode DockerfileUnreadable = new(7014, "Dockerfile cannot be read");

    // LB8xxx: the publish route (the MSBuild properties and the publish output, docs/msbuild.md).
    public static readonly DiagnosticCode UnknownLayering = new(8001, "Unknown layering");
    public static readonly DiagnosticCode InvalidPublishItem = new(8002, "Invalid port, variable or label item");
    public static readonly DiagnosticCode RuntimeMissing = new(8003, "Base has no .NET runtime of the app's version");
    public static readonly DiagnosticCode RuntimeIdentifierNotLinux = new(8004, "Runtime identifier missing or not Linux");
    public static readonly DiagnosticCode IcuMissing = new(8005, "Globalization on but no ICU in the image");
    public static readonly DiagnosticCode UserNotInPasswd = new(8006, "Config user not in /etc/passwd");
    public static readonly DiagnosticCode NotAnApp = new(8007, "No image for a project that is no app");
    public static readonly DiagnosticCode RuntimeIdentifiersWithPlatformRecipe = new(8010, "Recipe sets its own platform with several runtime identifiers");
    public static readonly DiagnosticCode RuntimeIdentifierNotRestored = new(8011, "Runtime identifier not restored");

    // LB9xxx: internal failures.
    public static readonly DiagnosticCode Internal = new(9001, "Internal error");
    public static readonly DiagnosticCode Cancelled = new(9002, "Build cancelled");

    /// <summary>Every code above, found by reflection so the table cannot forget one.</summary>
    public static IReadOnlyList<DiagnosticCode> All { get; } = typeof(DiagnosticCodes)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.FieldType == typeof(DiagnosticCode))
        .Select(f => (DiagnosticCode)f.GetValue(null)!)
        .ToArray();
}
