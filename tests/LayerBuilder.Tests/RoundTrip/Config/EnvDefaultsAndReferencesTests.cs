using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.RoundTrip.Config;

/// <summary>
/// The env of the config as Docker's builder makes it: a default PATH when the base sets none, and
/// <c>${env.NAME}</c> in <c>config.env</c> values for the base's value (never another entry's), distinct
/// from args (docs/recipe.md, "env references"; docs/decisions.md D47).
/// </summary>
public sealed class EnvDefaultsAndReferencesTests
{
    private const string DefaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    [Test]
    public async Task A_base_without_path_gets_docker_s_default_path_before_the_recipe_s_env()
    {
        using var temp = new TempDirectory();
        var (_, archive) = await RecipeBuild.BuildAsync(temp, """
            image: example/default-path
            config:
              env: { APP: "1" }
            steps:
              - files: [{ path: /a, content: a }]
            """);

        Assert.That(Env(archive), Is.EqualTo(new[] { DefaultPath, "APP=1" }));
    }

    [Test]
    public async Task Path_is_prepended_to_the_base_image_s_path()
    {
        using var temp = new TempDirectory();
        await RecipeBuild.BuildAsync(temp, """
            image: example/base-with-path
            config:
              env: { PATH: /base/bin, HOME: /root }
            steps:
              - files: [{ path: /a, content: a }]
            """);
        var derived = new TempDirectory();
        using var _ = derived;
        var (_, archive) = await RecipeBuild.BuildAsync(derived, $$"""
            image: example/derived
            args: { APP_HOME: /opt/app }
            base: { image: "{{temp.Combine("out", "image.tar")}}" }
            config:
              env:
                PATH: "${APP_HOME}/bin:${env.PATH}"
                APP_PATH: "${env.PATH}"
                LITERAL: "$${env.PATH} costs $$5 and $HOME"
                HOME2: "${env.HOME}/2"
            """);

        Assert.That(Env(archive), Is.EqualTo(new[]
        {
            "PATH=/opt/app/bin:/base/bin",
            "HOME=/root",
            "APP_PATH=/base/bin",
            "LITERAL=${env.PATH} costs $$5 and $HOME",
            "HOME2=/root/2",
        }));
    }

    [Test]
    public async Task An_env_reference_on_scratch_sees_the_default_path()
    {
        using var temp = new TempDirectory();
        var (_, archive) = await RecipeBuild.BuildAsync(temp, """
            image: example/scratch-path
            config:
              env: { PATH: "/app/bin:${env.PATH}" }
            steps:
              - files: [{ path: /a, content: a }]
            """);

        Assert.That(Env(archive), Is.EqualTo(new[] { "PATH=/app/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" }));
    }

    [Test]
    public async Task An_arg_value_with_dollars_stays_literal_in_an_env_value()
    {
        using var temp = new TempDirectory();
        var (_, archive) = await RecipeBuild.BuildAsync(temp, """
            image: example/arg-dollars
            args: { PRICE: "$${env.PATH}$" }
            config:
              env: { P: "${PRICE}{env.PATH}" }
            steps:
              - files: [{ path: /a, content: a }]
            """);

        Assert.That(Env(archive), Does.Contain("P=$${env.PATH}${env.PATH}"));
    }

    [Test]
    public async Task An_unknown_env_reference_is_an_error_at_its_value()
    {
        using var temp = new TempDirectory();
        var diagnostics = await RecipeBuild.FailAsync(temp, """
            image: example/unknown-env
            config:
              env: { A: "${env.NOT_SET}" }
            steps:
              - files: [{ path: /a, content: a }]
            """, temp.Combine("out", "image.tar"));

        Assert.That(diagnostics.Select(d => $"{d.Code} {d.Position.Line}:{d.Position.Column}"), Is.EqualTo(new[] { "LB1061 3:13" }));
    }

    [Test]
    public async Task An_env_reference_outside_config_env_and_an_unknown_arg_are_refused()
    {
        using var temp = new TempDirectory();
        var diagnostics = await RecipeBuild.FailAsync(temp, """
            image: example/misplaced-env
            config:
              workdir: "/srv/${env.HOME}"
              env: { P: "${PATH}" }
            steps:
              - files: [{ path: /a, content: a }]
            """, temp.Combine("out", "image.tar"));

        Assert.That(diagnostics.Select(d => d.Code.ToString()), Is.EqualTo(new[] { "LB1060", "LB1014" }));
    }

    private static string[] Env(ImageArchive archive) =>
        archive.ConfigDocument.GetProperty("config").GetProperty("Env").EnumerateArray().Select(e => e.GetString()!).ToArray();
}
