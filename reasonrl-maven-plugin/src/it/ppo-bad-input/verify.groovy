def log = new File(basedir, 'build.log').text
assert log.contains('BUILD FAILURE')
assert new File(basedir, 'target/reasonrl/pretrain/model/config.json').isFile()
assert log =~ /unknown advantage estimator 'nope' \(parameter advantage\); choose one of gae, grpo/
// The user's error (MojoFailureException), not a fault of the plugin.
assert log.contains('MojoFailureException')
assert !log.contains('MojoExecutionException')
assert !new File(basedir, 'target/reasonrl/ppo').exists()
return true
