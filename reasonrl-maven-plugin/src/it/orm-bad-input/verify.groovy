def log = new File(basedir, 'build.log').text
assert log.contains('BUILD FAILURE')
assert log =~ /no config\.json in .*no-such-policy/
assert !new File(basedir, 'target/orm-run').exists()
return true
