using LayerBuilder.Conversion;
using LayerBuilder.Diagnostics;
using LayerBuilder.Recipe;

namespace LayerBuilder.Tests.Conversion;

/// <summary>
/// <c>convert</c>'s reading of a Dockerfile: what each instruction becomes in the recipe (read back by the
/// recipe parser, so the text is a valid recipe), and what it reports at which line and column. Whether the
/// recipe builds what <c>docker build</c> builds is the differential tier's question (docs/testing.md).
/// </summary>
public sealed class DockerfileConverterTests
{
    [Test]
    public void Config_instructions_args_and_env_references_become_the_recipe_s_config()
    {
        var recipe = Parse("""
            ARG BASE=debian:bookworm
            FROM --platform=linux/arm64 ${BASE} AS final
            ARG VERSION=1.0
            ENV PATH=/opt/app/bin:$PATH \
                APP_VERSION=$VERSION
            # a comment between instructions
            ENV PATH="/more:${PATH}" LITERAL='$HOME stays' ESCAPED=\$HOME
            LABEL "org.example.name"="a b" version=$VERSION
            EXPOSE 8080 53/udp
            VOLUME ["/data", "/logs"]
            VOLUME /cache
            WORKDIR /srv
            WORKDIR app
            USER app:app
            STOPSIGNAL SIGINT
            HEALTHCHECK --interval=30s --timeout=5s --start-period=1s --start-interval=2s --retries=4 CMD ["/bin/check", "--fast"]
            ENTRYPOINT ["/srv/app/run", "${NOT_AN_ARG}"]
            CMD echo $HOME
            """, baseImage: "base.tar");

        var config = recipe.Config;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(recipe.Base, Is.EqualTo(new ImageBase(Path.Combine("/ctx", "base.tar"), false, new Positioned<string>("debian:bookworm", recipe.Base is ImageBase { Ref: { } r } ? r.Position : default), recipe.Base.Position)));
            Assert.That(recipe.Platform.ToString(), Is.EqualTo("linux/arm64"));
            Assert.That(config.Env, Is.EqualTo(new KeyValuePair<string, string>[]
            {
                new("PATH", "/more:/opt/app/bin:${env.PATH}"),
                new("APP_VERSION", "1.0"),
                new("LITERAL", "$$HOME stays"),
                new("ESCAPED", "$$HOME"),
            }), "env values are templates in the model: $$ is a literal $");
            Assert.That(config.Labels, Is.EqualTo(new SortedDictionary<string, string>(StringComparer.Ordinal) { ["org.example.name"] = "a b", ["version"] = "1.0" }));
            Assert.That(config.ExposedPorts, Is.EqualTo(new[] { "53/udp", "8080/tcp" }));
            Assert.That(config.Volumes, Is.EqualTo(new[] { "/cache", "/data", "/logs" }));
            Assert.That(config.WorkingDir, Is.EqualTo("/srv/app"));
            Assert.That(config.User?.ToString(), Is.EqualTo("app:app"));
            Assert.That(config.StopSignal, Is.EqualTo("SIGINT"));
            Assert.That(config.Healthcheck!.Test, Is.EqualTo(new[] { "CMD", "/bin/check", "--fast" }));
            Assert.That(config.Healthcheck.Retries, Is.EqualTo(4));
            Assert.That(config.Entrypoint, Is.EqualTo(new[] { "/srv/app/run", "${NOT_AN_ARG}" }), "ENTRYPOINT's text is literal, as Docker keeps it");
            Assert.That(config.Cmd, Is.EqualTo(new[] { "/bin/sh", "-c", "echo $HOME" }));
        }
    }

    [Test]
    public void Copy_add_and_rm_become_steps_with_docker_s_metadata_rules()
    {
        var recipe = Parse("""
            FROM scratch
            WORKDIR /app
            COPY --chown=1000:1000 a.txt tree/ ./
            COPY ["with space.txt", "/dest dir/"]
            ADD vendor.tar.gz /opt/vendor/
            ADD notes.txt /notes
            RUN rm -rf /app/old /tmp/cache
            RUN ["rm", "-r", "-f", "relative"]
            """);

        var steps = recipe.Steps;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(recipe.Base, Is.TypeOf<ScratchBase>());
            Assert.That(steps.Select(s => s.Name), Is.EqualTo(new[]
            {
                "COPY --chown=1000:1000 a.txt tree/ ./", "COPY [\"with space.txt\", \"/dest dir/\"]", "ADD vendor.tar.gz /opt/vendor/",
                "ADD notes.txt /notes", "RUN rm -rf /app/old /tmp/cache", "RUN [\"rm\", \"-r\", \"-f\", \"relative\"]",
            }));
            Assert.That(steps[0].Copy.Select(c => (c.Source.Value, c.Destination.Value, c.PreserveMode, c.Owner?.ToString())),
                Is.EqualTo(new[] { ("/ctx/a.txt", "/app/", true, "1000:1000"), ("/ctx/tree/", "/app/", true, "1000:1000") }));
            Assert.That(steps[1].Copy.Single().Source.Value, Is.EqualTo("/ctx/with space.txt"));
            Assert.That(steps[1].Copy.Single().Destination.Value, Is.EqualTo("/dest dir/"));
            Assert.That(steps[2].Extract.Single().Destination.Value.Value, Is.EqualTo("/opt/vendor"));
            Assert.That(steps[3].Copy.Single().Destination.Value, Is.EqualTo("/notes"), "ADD of a file that is no archive copies it");
            Assert.That(steps[4].Remove.Select(r => r.Value.Value), Is.EqualTo(new[] { "/app/old", "/tmp/cache" }));
            Assert.That(steps[5].Remove.Single().Value.Value, Is.EqualTo("/app/relative"));
        }
    }

    [Test]
    public void What_a_recipe_cannot_express_is_reported_at_its_instruction()
    {
        var conversion = Convert("""
            FROM debian:bookworm
            RUN apt-get update
            ADD https://example.com/x.tar /x
            COPY --from=build /out /app
            COPY <<EOF /etc/motd
            hello
            EOF
            SHELL ["/bin/bash", "-c"]
            ENV A=${B:-default}
            LABEL from=$UNSET
              FROM scratch
            COPY never.txt /
            """);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(conversion.Recipe, Is.Null);
            Assert.That(conversion.Diagnostics.Select(d => $"{d.Position.Line}:{d.Position.Column} {d.Severity} {d.Code}"), Is.EqualTo(new[]
            {
                "2:1 Error LB7001", "3:1 Error LB7002", "4:1 Error LB7003", "5:1 Error LB7004", "8:1 Error LB7006",
                "9:1 Error LB7010", "10:1 Error LB7010", "11:3 Error LB7005",
            }));
            Assert.That(conversion.Diagnostics[0].ToCliString(), Does.StartWith("Dockerfile:2:1: error LB7001: RUN runs a program"));
        }
    }

    [Test]
    public void Allow_partial_writes_the_rest_and_reports_warnings()
    {
        var conversion = Convert("""
            FROM debian:bookworm
            RUN apt-get update
            ENV A=1
            """, allowPartial: true);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(conversion.HasErrors, Is.False);
            Assert.That(conversion.Diagnostics.Single().Severity, Is.EqualTo(Severity.Warning));
            Assert.That(conversion.Recipe, Does.Contain("base: \"debian:bookworm\"").And.Contain("\"A\": \"1\""));
        }
    }

    [Test]
    public void The_escape_directive_and_continuations_are_read_as_docker_reads_them()
    {
        var recipe = Parse("""
            # escape=`
            FROM scratch
            ENV WIN=C:\path `
                NEXT=`$literal
            LABEL a=b`
             c=d
            """);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(recipe.Config.Env, Is.EqualTo(new KeyValuePair<string, string>[] { new("WIN", "C:\\path"), new("NEXT", "$$literal") }));
            Assert.That(recipe.Config.Labels.Keys, Is.EqualTo(new[] { "a", "c" }));
        }
    }

    [Test]
    public void Malformed_instructions_are_errors_even_with_allow_partial()
    {
        var conversion = Convert("""
            ENV A=1
            FROM scratch
            BOGUS x
            COPY a b /not-a-folder
            """, allowPartial: true);

        Assert.That(conversion.Diagnostics.Select(d => $"{d.Position.Line} {d.Severity} {d.Code}"), Is.EqualTo(new[] { "1 Error LB7012" }));

        var second = Convert("FROM scratch\nBOGUS x\nCOPY a b /not-a-folder\nSTOPSIGNAL\n", allowPartial: true);
        Assert.That(second.Diagnostics.Select(d => $"{d.Position.Line} {d.Severity} {d.Code}"), Is.EqualTo(new[] { "2 Error LB7007", "3 Error LB7008", "4 Error LB7008" }));
    }

    private static DockerfileConversion Convert(string dockerfile, bool allowPartial = false, string? baseImage = null) =>
        DockerfileConverter.Convert(new DockerfileConversionRequest { Text = dockerfile, AllowPartial = allowPartial, BaseImageArchive = baseImage, ImageName = "example/converted" });

    private static BuildRecipe Parse(string dockerfile, string? baseImage = null)
    {
        var conversion = Convert(dockerfile, baseImage: baseImage);
        Assert.That(conversion.Diagnostics.Where(d => d.Severity == Severity.Error), Is.Empty);
        return RecipeParser.Parse(conversion.Recipe!, "layerbuild.yml", "/ctx");
    }
}
