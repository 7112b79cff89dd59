def log = new File(basedir, 'build.log').text
assert log.contains('Skipping (reasonrl.skip=true)')
assert !log.contains('engine:')
assert log.contains('BUILD SUCCESS')
return true
