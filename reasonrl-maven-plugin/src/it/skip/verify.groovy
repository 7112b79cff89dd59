def log = new File(basedir, 'build.log').text
assert log.contains('Skipping (reasonrl.skip=true)')
assert !log.contains('engine:')
// A misspelled property is warned about (before the skip), naming the closest parameter (the
// goals that have it are UnknownPropertiesTest's to check: the list grows with the plugin).
assert log.contains('[WARNING] -Dreasonrl.temprature is not a parameter of any reasonrl goal and is'
    + ' ignored; did you mean reasonrl.temperature (a parameter of ')
assert log.contains(', not of info)?')
assert log.contains('BUILD SUCCESS')
return true
