using System.Text;
using LayerBuilder.FileSystem;
using LayerBuilder.Recipe;

namespace LayerBuilder.Tests.Unit;

/// <summary>Every key of docs/recipe.md parses into the model with the value the user wrote.</summary>
public sealed class RecipeParserAcceptsEveryDocumentedKeyTests
{
    private const string BaseDirectory = "/recipes/hello";

    private const string FullRecipe = """
        image: registry.example.com/team/hello
        tags: ["${VERSION}", latest]
        platform: linux/arm64/v8
        created: "2024-01-02T03:04:05Z"
        base: { rootfs: rootfs/base.tar.gz }
        args:
          VERSION: "1.0"
          GREETING: Hello
        defaults:
          owner: "7:8"
          dirMode: "0750"
          fileMode: "0640"
        config:
          env: { APP_VERSION: "${VERSION}", PATH: /app/bin }
          entrypoint: ["/app/hello"]
          cmd: ["--greet"]
          workdir: /app
          user: "1000:1000"
          labels: { org.opencontainers.image.version: "${VERSION}" }
          annotations: { org.opencontainers.image.title: hello }
          ports: ["8080/tcp", "53/udp", "9090"]
          volumes: ["/data"]
          stopSignal: SIGTERM
          healthcheck: { test: ["CMD", "/app/hello", "--ping"], interval: 30s, timeout: 5s, startPeriod: 10s, startInterval: 1m30s, retries: 3 }
        steps:
          - name: app
            copy:
              - src: bin/publish/
                dest: /app/
                include: ["**"]
                exclude: ["**/*.pdb"]
                mode: "0755"
                dirMode: "0755"
                owner: "1000:1000"
              - src: /abs/other
                dest: /other
                preserveMode: true
            files:
              - path: /etc/hello/hello.conf
                content: |
                  greeting=${GREETING}
                mode: "0644"
                owner: "0:0"
              - path: /etc/hello/raw.bin
                base64: AAEC/w==
            dirs:
              - { path: /data, mode: "0777", owner: "1000:1000" }
            symlinks:
              - { path: /usr/local/bin/hello, target: /app/hello }
            hardlinks:
              - { path: /app/hello-again, target: /app/hello }
            extract:
              - { src: vendor/tools.tar.gz, dest: /opt/tools }
            remove:
              - /usr/share/doc
              - /var/cache/apt/**
          - copy:
              - { src: more, dest: /more }
        """;

    private static BuildRecipe Parse(string yaml, RecipeOptions? options = null) =>
        RecipeParser.Parse(yaml, "layerbuild.yml", BaseDirectory, options);

    [Test]
    public void Top_level_keys_parse()
    {
        var recipe = Parse(FullRecipe);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(recipe.Image.Value.Full, Is.EqualTo("registry.example.com/team/hello"));
            Assert.That(recipe.Image.Position.Line, Is.EqualTo(1));
            Assert.That(recipe.Tags, Is.EqualTo(new[] { "1.0", "latest" }));
            Assert.That(recipe.Platform.ToString(), Is.EqualTo("linux/arm64/v8"));
            Assert.That(recipe.PlatformSet, Is.True);
            Assert.That(recipe.Created, Is.EqualTo(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero)));
            Assert.That(recipe.Base, Is.TypeOf<RootfsBase>());
            Assert.That(((RootfsBase)recipe.Base).HostPath, Is.EqualTo(Path.GetFullPath("/recipes/hello/rootfs/base.tar.gz")));
            Assert.That(recipe.Defaults.Owner.Numeric, Is.EqualTo(new Owner(7, 8)));
            Assert.That(recipe.Defaults.DirMode, Is.EqualTo(0x1E8), "0750");
            Assert.That(recipe.Defaults.FileMode, Is.EqualTo(0x1A0), "0640");
            Assert.That(recipe.Steps, Has.Count.EqualTo(2));
        }
    }

    [Test]
    public void Config_keys_parse_with_args_expanded_and_values_normalized()
    {
        var config = Parse(FullRecipe).Config;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(config.Env, Is.EqualTo(new[] { new KeyValuePair<string, string>("APP_VERSION", "1.0"), new("PATH", "/app/bin") }));
            Assert.That(config.Entrypoint, Is.EqualTo(new[] { "/app/hello" }));
            Assert.That(config.Cmd, Is.EqualTo(new[] { "--greet" }));
            Assert.That(config.WorkingDir, Is.EqualTo("/app"));
            Assert.That(config.User?.ToString(), Is.EqualTo("1000:1000"));
            Assert.That(config.Labels, Is.EqualTo(new Dictionary<string, string> { ["org.opencontainers.image.version"] = "1.0" }));
            Assert.That(config.Annotations, Is.EqualTo(new Dictionary<string, string> { ["org.opencontainers.image.title"] = "hello" }));
            Assert.That(config.ExposedPorts, Is.EquivalentTo(new[] { "8080/tcp", "53/udp", "9090/tcp" }));
            Assert.That(config.Volumes, Is.EqualTo(new[] { "/data" }));
            Assert.That(config.StopSignal, Is.EqualTo("SIGTERM"));
            Assert.That(config.Healthcheck!.Test, Is.EqualTo(new[] { "CMD", "/app/hello", "--ping" }));
            Assert.That(config.Healthcheck.Interval, Is.EqualTo(30_000_000_000L));
            Assert.That(config.Healthcheck.Timeout, Is.EqualTo(5_000_000_000L));
            Assert.That(config.Healthcheck.StartPeriod, Is.EqualTo(10_000_000_000L));
            Assert.That(config.Healthcheck.StartInterval, Is.EqualTo(90_000_000_000L));
            Assert.That(config.Healthcheck.Retries, Is.EqualTo(3));
        }
    }

    [Test]
    public void Step_copy_keys_parse_and_host_paths_resolve_against_the_recipe_folder()
    {
        var step = Parse(FullRecipe).Steps[0];
        var copy = step.Copy[0];
        var other = step.Copy[1];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(step.Name, Is.EqualTo("app"));
            Assert.That(step.Description, Is.EqualTo("app"));
            Assert.That(copy.Source.Value, Is.EqualTo(Path.GetFullPath("/recipes/hello/bin/publish/")));
            Assert.That(copy.Destination.Value, Is.EqualTo("/app/"));
            Assert.That(copy.Include.Select(g => g.Value), Is.EqualTo(new[] { "**" }));
            Assert.That(copy.Exclude.Select(g => g.Value), Is.EqualTo(new[] { "**/*.pdb" }));
            Assert.That(copy.Mode, Is.EqualTo(0x1ED));
            Assert.That(copy.DirMode, Is.EqualTo(0x1ED));
            Assert.That(copy.Owner!.Numeric, Is.EqualTo(new Owner(1000, 1000)));
            Assert.That(copy.PreserveMode, Is.False);
            Assert.That(other.Source.Value, Is.EqualTo(Path.GetFullPath("/abs/other")));
            Assert.That(other.PreserveMode, Is.True);
            Assert.That(other.Mode, Is.Null);
        }
    }

    [Test]
    public void Step_files_dirs_links_extract_and_remove_parse()
    {
        var step = Parse(FullRecipe).Steps[0];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(step.Files[0].Path.Value.Value, Is.EqualTo("/etc/hello/hello.conf"));
            Assert.That(Encoding.UTF8.GetString(step.Files[0].Content.Span), Is.EqualTo("greeting=Hello\n"));
            Assert.That(step.Files[0].Mode, Is.EqualTo(0x1A4));
            Assert.That(step.Files[0].Owner!.Numeric, Is.EqualTo(new Owner(0, 0)));
            Assert.That(step.Files[1].Content.ToArray(), Is.EqualTo(new byte[] { 0, 1, 2, 255 }));
            Assert.That(step.Files[1].Mode, Is.Null, "no mode: the defaults apply when the step is planned");
            Assert.That(step.Dirs.Single().Path.Value.Value, Is.EqualTo("/data"));
            Assert.That(step.Dirs.Single().Mode, Is.EqualTo(0x1FF));
            Assert.That(step.Dirs.Single().Owner!.Numeric, Is.EqualTo(new Owner(1000, 1000)));
            Assert.That(step.Symlinks.Single().Path.Value.Value, Is.EqualTo("/usr/local/bin/hello"));
            Assert.That(step.Symlinks.Single().Target.Value, Is.EqualTo("/app/hello"));
            Assert.That(step.Hardlinks.Single().Path.Value.Value, Is.EqualTo("/app/hello-again"));
            Assert.That(step.Hardlinks.Single().Target.Value, Is.EqualTo("/app/hello"));
            Assert.That(step.Extract.Single().Source.Value, Is.EqualTo(Path.GetFullPath("/recipes/hello/vendor/tools.tar.gz")));
            Assert.That(step.Extract.Single().Destination.Value.Value, Is.EqualTo("/opt/tools"));
            Assert.That(step.Remove.Select(r => r.Value.Value), Is.EqualTo(new[] { "/usr/share/doc", "/var/cache/apt/**" }));
        }
    }

    [Test]
    public void A_step_without_a_name_is_described_by_its_number() =>
        Assert.That(Parse(FullRecipe).Steps[1].Description, Is.EqualTo("step 2"));

    [Test]
    public void Defaults_apply_when_optional_keys_are_left_out()
    {
        var recipe = Parse("image: hello\n");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(recipe.Tags, Is.EqualTo(new[] { "latest" }));
            Assert.That(recipe.Platform.ToString(), Is.EqualTo("linux/amd64"));
            Assert.That(recipe.PlatformSet, Is.False);
            Assert.That(recipe.Created, Is.EqualTo(DateTimeOffset.UnixEpoch));
            Assert.That(recipe.Base, Is.TypeOf<ScratchBase>());
            Assert.That(recipe.Defaults.Owner.Numeric, Is.EqualTo(new Owner(0, 0)));
            Assert.That(recipe.Defaults.DirMode, Is.EqualTo(0x1ED));
            Assert.That(recipe.Defaults.FileMode, Is.EqualTo(0x1A4));
            Assert.That(recipe.Steps, Is.Empty);
        }
    }

    [Test]
    public void Base_scratch_image_and_layout_forms_parse()
    {
        var scratch = Parse("image: hello\nbase: scratch\n").Base;
        var image = Parse("image: hello\nbase: { image: saved/app.tar, ref: \"app:1.0\" }\n").Base;
        var layout = Parse("image: hello\nbase: { layout: oci }\n").Base;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(scratch, Is.TypeOf<ScratchBase>());
            Assert.That(image, Is.TypeOf<ImageBase>());
            Assert.That(((ImageBase)image).HostPath, Is.EqualTo(Path.GetFullPath("/recipes/hello/saved/app.tar")));
            Assert.That(((ImageBase)image).IsLayout, Is.False);
            Assert.That(((ImageBase)image).Ref?.Value, Is.EqualTo("app:1.0"));
            Assert.That(((ImageBase)layout).IsLayout, Is.True);
            Assert.That(((ImageBase)layout).Ref, Is.Null);
        }
    }

    [Test]
    public void String_commands_are_shell_form()
    {
        var config = Parse("image: hello\nconfig:\n  entrypoint: echo hi\n  cmd: ls -l\n").Config;

        Assert.That(config.Entrypoint, Is.EqualTo(new[] { "/bin/sh", "-c", "echo hi" }));
        Assert.That(config.Cmd, Is.EqualTo(new[] { "/bin/sh", "-c", "ls -l" }));
    }

    [Test]
    public void Command_line_args_tags_and_created_win_over_the_recipe()
    {
        var recipe = Parse(FullRecipe, new RecipeOptions
        {
            Args = new Dictionary<string, string> { ["VERSION"] = "2.5" },
            Tags = ["edge"],
            Created = "2030-01-01T00:00:00Z",
            SourceDateEpoch = "1",
        });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(recipe.Tags, Is.EqualTo(new[] { "edge" }));
            Assert.That(recipe.Config.Labels["org.opencontainers.image.version"], Is.EqualTo("2.5"));
            Assert.That(recipe.Created, Is.EqualTo(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        }
    }

    [Test]
    public void SOURCE_DATE_EPOCH_sets_created_when_the_recipe_does_not()
    {
        var recipe = Parse("image: hello\n", new RecipeOptions { SourceDateEpoch = "1704067200" });

        Assert.That(recipe.Created, Is.EqualTo(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero)));
    }

    [Test]
    public void A_doubled_dollar_writes_a_literal_reference()
    {
        var recipe = Parse("image: hello\nconfig:\n  labels: { LITERAL: \"$${HOME}\" }\n");

        Assert.That(recipe.Config.Labels["LITERAL"], Is.EqualTo("${HOME}"));
    }
}
