def log = new File(basedir, 'build.log').text
assert log.contains('[INFO] ReasonRL ')
assert log =~ /engine:\s+PyTorch 2\.\d+\.\d+ \(DJL 0\.\d+\.\d+/
assert log =~ /device:\s+cpu\(\)|device:\s+cpu/
assert log =~ /threads:\s+1\b/
assert log =~ /offline:\s+true/
assert log =~ /seed:\s+7\b/
assert log.contains('BUILD SUCCESS')
return true
