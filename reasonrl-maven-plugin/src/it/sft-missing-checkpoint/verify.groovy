def log = new File(basedir, 'build.log').text
assert log.contains('BUILD FAILURE')
assert log =~ /no config\.json in .*no-such-model/
assert !new File(basedir, 'target/reasonrl/sft').exists()
return true
