def log = new File(basedir, 'build.log').text
def page = new File(basedir, 'target/report/index.html').text
assert page.contains('<td class="label">SFT</td>')
assert page.contains('0.625') && page.contains('[0.375, 0.875]')
assert page.contains('0.750') && page.contains('[0.500, 1.000]')
// The lines DJL logs when it loads libtorch (the pipeline IT asserts they do appear there).
assert !log.contains('Number of intra-op threads')
assert !log.contains('pytorch-native')
assert !log.contains('Found matching platform')
assert log.contains('BUILD SUCCESS')
return true
