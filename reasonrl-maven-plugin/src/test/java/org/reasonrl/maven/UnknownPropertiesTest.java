package org.reasonrl.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugin.descriptor.PluginDescriptorBuilder;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A misspelled {@code -Dreasonrl.*} property is warned about, not ignored silently. */
class UnknownPropertiesTest {

  @TempDir
  Path target;

  @Test
  void aMisspelledPropertyIsWarnedAboutNamingTheClosestParameter() throws Exception {
    PluginDescriptor plugin;
    try (Reader in = new InputStreamReader(getClass().getResourceAsStream(
        "/META-INF/maven/plugin.xml"), StandardCharsets.UTF_8)) {
      plugin = new PluginDescriptorBuilder().build(in);
    }
    EvalMojo eval = ConfiguredMojos.configure(EvalMojo.class, target,
        Map.of("mojoExecution", new MojoExecution(plugin.getMojo("eval"))));
    List<String> warnings = new ArrayList<>();
    eval.setLog(new SystemStreamLog() {
      @Override
      public void warn(CharSequence content) {
        warnings.add(content.toString());
      }
    });
    eval.warnAboutUnknownProperties(Set.of("reasonrl.temprature", "reasonrl.stpes",
        "reasonrl.k", "reasonrl.rounds", "reasonrl.runs", "reasonrl.zzzzzzzz", "user.home"));
    assertEquals(List.of(
        "-Dreasonrl.stpes is not a parameter of any reasonrl goal and is ignored; did you mean"
            + " reasonrl.steps (a parameter of ei, orm, ppo, pretrain, rcrl, sft, not of eval)?",
        "-Dreasonrl.temprature is not a parameter of any reasonrl goal and is ignored; did you"
            + " mean reasonrl.temperature?",
        "-Dreasonrl.zzzzzzzz is not a parameter of any reasonrl goal and is ignored;"
            + " 'reasonrl:help -Ddetail -Dgoal=eval' lists the parameters of eval"), warnings);
  }
}
